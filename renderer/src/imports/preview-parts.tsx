import { useMemo, useState } from 'react';
import { Alert, Badge, Card, Group, List, Radio, ScrollArea, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconHelpCircle } from '@tabler/icons-react';
import type { ImportPreviewResult } from '../../../electron/imports/procedures';
import type { ProcInput, ProcOutput } from '../api/client';
import { arraySource } from '../api/hooks';
import { VirtualTable, type Column } from '../components/virtual-table';

export type Mapping = NonNullable<ProcInput<'imports.preview'>['mapping']>;
export type Answers = NonNullable<ProcInput<'imports.preview'>['answers']>;
export type Answer = Answers[string];
export type Target = ProcOutput<'imports.targets'>[number];
type PreviewRow = ImportPreviewResult['rows'][number];
type Question = ImportPreviewResult['questions'][number];

export const fmt = new Intl.NumberFormat('it-IT');

/** «1 riga», «3 righe», «1.234 righe». */
export function righe(n: number): string {
  return `${fmt.format(n)} ${n === 1 ? 'riga' : 'righe'}`;
}

/** "Codice fiscale dell'alunno: …" unless the message already names its field. */
export function withField(label: string, message: string): string {
  return message.toLowerCase().includes(label.toLowerCase()) ? message : `${label}: ${message}`;
}

/** What each answer to an ambiguous column means, in the office's words. */
const ANSWER_LABELS: Record<string, string> = {
  'payer.town': 'il comune di residenza del pagante',
  'pupil.municipality': 'il comune della scuola',
  nessuno: 'nessuno dei due: la colonna non si importa',
};

/**
 * The columns whose header names two different things (e.g. «COMUNE»): the operator says what the
 * column holds; the import waits until every question is answered.
 */
export function QuestionsCard({ questions, onAnswer, disabled }: { questions: Question[]; onAnswer: (column: string, answer: Answer) => void; disabled: boolean }) {
  if (questions.length === 0) return null;
  const open = questions.filter((q) => q.answer === null).length;
  return (
    <Alert
      color={open ? 'yellow' : 'blue'}
      variant="light"
      icon={<IconHelpCircle />}
      title={open ? (open === 1 ? 'Una colonna da chiarire prima di importare' : `${fmt.format(open)} colonne da chiarire prima di importare`) : 'Colonne chiarite'}
      data-testid="import-questions"
    >
      <Stack gap="xs">
        {questions.map((q) => (
          <Radio.Group
            key={q.column}
            label={
              <Text size="sm" fw={600} span>
                Che cosa contiene la colonna «{q.column}»?
              </Text>
            }
            value={q.answer ?? ''}
            onChange={(v) => onAnswer(q.column, v as Answer)}
          >
            <Group gap="lg" mt={4}>
              {[...q.fields, 'nessuno' as const].map((f) => (
                <Radio key={f} value={f} label={ANSWER_LABELS[f] ?? f} disabled={disabled} />
              ))}
            </Group>
          </Radio.Group>
        ))}
      </Stack>
    </Alert>
  );
}

export function MappingCard({
  targets,
  columns,
  mapping,
  onChange,
  changed,
}: {
  targets: Target[];
  columns: string[];
  mapping: Mapping;
  onChange: (m: Mapping) => void;
  changed: boolean;
}) {
  const options = [{ value: '', label: '— nessuna colonna —' }, ...columns.map((c) => ({ value: c, label: c }))];
  const groups = [...new Set(targets.map((t) => t.groupLabel))];
  const m = mapping as Record<string, string | undefined>;
  return (
    <Card withBorder radius="sm" p="md" h="100%">
      <Title order={4}>Colonne del file</Title>
      <Text size="xs" c="dimmed" mb="xs">
        Per ogni dato, la colonna del file che lo contiene (proposta dalle intestazioni, o come scelto l'ultima volta per un file con le stesse colonne).
      </Text>
      {changed && (
        <Alert color="blue" variant="light" p="xs" mb="xs">
          <Text size="xs">Scelte modificate: premere «Ricontrolla con le nuove scelte».</Text>
        </Alert>
      )}
      <ScrollArea.Autosize mah={430} offsetScrollbars>
        <Stack gap={6} data-testid="import-mapping">
          {groups.map((g) => (
            <Stack gap={4} key={g}>
              <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt={4}>
                {g}
              </Text>
              {targets
                .filter((t) => t.groupLabel === g)
                .map((t) => (
                  <Group key={t.field} gap="xs" wrap="nowrap">
                    <Tooltip label={t.hint} disabled={!t.hint} multiline w={260}>
                      <Text size="sm" w={150} style={{ flexShrink: 0 }}>
                        {t.label}
                        {t.required && <Text span c="red"> *</Text>}
                      </Text>
                    </Tooltip>
                    <Select
                      size="xs"
                      aria-label={`Colonna per ${t.label}`}
                      data={options}
                      value={m[t.field] ?? ''}
                      onChange={(v) => onChange({ ...mapping, [t.field]: v ?? '' })}
                      allowDeselect={false}
                      error={t.required && !m[t.field]}
                      style={{ flex: 1 }}
                    />
                  </Group>
                ))}
            </Stack>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Card>
  );
}

/** The preview's rows: number, errors, warnings («Avvisi»), then each mapped field under its label and the file's column name. */
export function PreviewTable({ preview, onlyErrors, label }: { preview: ImportPreviewResult; onlyErrors: boolean; label: (f: string) => string }) {
  const [selected, setSelected] = useState<number | null>(null);
  const mapping = preview.mapping as Record<string, string | undefined>;
  const fields = useMemo(() => Object.keys(preview.mapping).filter((f) => mapping[f]), [preview, mapping]);
  const rows = useMemo(() => (onlyErrors ? preview.rows.filter((r) => r.errors.length) : preview.rows), [preview, onlyErrors]);
  const chosen = rows.find((r) => r.row === selected) ?? rows.find((r) => r.errors.length) ?? null;
  const columns: Column<PreviewRow>[] = [
    {
      key: 'row',
      header: 'Riga',
      width: 56,
      render: (r) => (
        <Badge size="sm" variant="light" color={r.errors.length ? 'red' : r.warnings.length ? 'orange' : 'green'}>
          {r.row}
        </Badge>
      ),
    },
    {
      key: 'errors',
      header: 'Errori',
      width: 300,
      wrap: true,
      render: (r) =>
        r.errors.length ? (
          <Text size="xs" c="red.8" lineClamp={2}>
            {r.errors.map((e) => withField(label(e.field), e.message)).join(' · ')}
          </Text>
        ) : (
          <Text size="xs" c="green.8">
            Valida
          </Text>
        ),
    },
    {
      key: 'warnings',
      header: 'Avvisi',
      width: 260,
      wrap: true,
      render: (r) =>
        r.warnings.length ? (
          <Text size="xs" c="orange.8" lineClamp={2}>
            {r.warnings.join(' · ')}
          </Text>
        ) : null,
    },
    ...fields.map<Column<PreviewRow>>((f) => ({
      key: f,
      header: `${label(f)} ← ${mapping[f]}`,
      width: 170,
      render: (r) => {
        const bad = r.errors.some((e) => e.field === f);
        return (
          <Text size="xs" c={bad ? 'red.8' : undefined} fw={bad ? 700 : undefined} td={bad ? 'underline wavy' : undefined} truncate>
            {r.values[f] || (bad ? '(vuoto)' : '')}
          </Text>
        );
      },
    })),
  ];
  return (
    <Stack gap="xs">
      <div style={{ height: 300, display: 'flex', flexDirection: 'column' }} data-testid="import-preview">
        <VirtualTable
          columns={columns}
          source={arraySource(rows)}
          rowKey={(r) => r.row}
          rowHeight={46}
          onRowClick={(r) => setSelected(r.row)}
          selectedKey={chosen?.row ?? null}
          empty={onlyErrors ? 'Nessuna riga con errori' : 'Il file non ha righe'}
        />
      </div>
      {chosen && (chosen.errors.length > 0 || chosen.warnings.length > 0) && (
        <Alert color={chosen.errors.length ? 'red' : 'orange'} variant="light" p="xs" title={`Riga ${chosen.row} del file`} data-testid="import-row-detail">
          <List size="sm">
            {chosen.errors.map((e, i) => (
              <List.Item key={`e${i}`}>{withField(label(e.field), e.message)}</List.Item>
            ))}
            {chosen.warnings.map((w, i) => (
              <List.Item key={`w${i}`}>Avviso: {w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
