import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Grid, Group, NumberInput, Select, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { call, type ProcOutput } from '../api/client';
import { notifyError, notifySuccess, useQuery } from '../api/hooks';
import { useSession } from '../auth/session';
import { MoneyField } from '../components/fields';
import { errorFor, useForm } from '../components/form';
import { ConflictAlert, conflictOf } from '../components/form-dialog';
import { PageHeader } from '../components/page';
import { useBusyAction } from '../components/use-busy-action';
import { centsToInput, parseEuroToCents } from '../format/money';
import { municipalityOptions, useLookups } from '../master-data/lookups';
import { DEBT_PLACEHOLDER_HELP } from '../../../electron/contract/vocabulary/debts';
import { CHANNEL_OPTIONS, type DebtChannel } from './labels';

type Ladder = ProcOutput<'debts.ladder.get'>;

let stepKey = 0;
interface StepForm {
  key: number;
  name: string;
  threshold: string;
  meals: number | string;
  minDays: number | string;
  channel: DebtChannel;
  template: string;
  daysToPay: number | string;
}

const toForm = (l: Ladder) => ({
  suspensionAllowed: l.suspensionAllowed,
  enrollmentRefusalAllowed: l.enrollmentRefusalAllowed,
  steps: l.steps.map(
    (s): StepForm => ({
      key: stepKey++,
      name: s.name,
      threshold: centsToInput(s.thresholdCents),
      meals: s.thresholdMeals ?? '',
      minDays: s.minDaysSincePrevious,
      channel: s.channel,
      template: s.template,
      daysToPay: s.daysToPay,
    }),
  ),
});

const num = (v: number | string) => (v === '' ? null : Number(v));

/**
 * Procedure di recupero: the ladder of each municipality, edited by a supervisor (issue 11). For
 * each step: threshold in euros and/or meals beyond credit, days since the previous step, channel,
 * the letter's text with its placeholders, the days given to pay. Also what the municipality's
 * regulation allows (suspension of the service, refusal of next year's enrollment). Operators read it.
 */
export function DebtLadderPage() {
  const session = useSession();
  const canEdit = session.can('supervisore');
  const { municipalities } = useLookups();
  const [municipality, setMunicipality] = useState<string | null>(null);
  useEffect(() => {
    if (!municipality && municipalities.length) setMunicipality(String(municipalities[0].id));
  }, [municipality, municipalities]);
  const ladder = useQuery('debts.ladder.get', municipality ? { municipalityId: Number(municipality) } : null);

  return (
    <Stack gap="sm">
      <PageHeader
        title="Procedure di recupero"
        description="Per ogni comune, i passi della procedura verso le famiglie con debiti e cosa consente il suo regolamento"
      />
      <Select label="Comune" data={municipalityOptions(municipalities)} value={municipality} onChange={setMunicipality} allowDeselect={false} w={260} />
      {municipalities.length === 0 && (
        <Alert color="gray" variant="light" maw={900}>
          Nessun comune in archivio: inserirli prima in Anagrafiche › Comuni.
        </Alert>
      )}
      {ladder.data && municipality && Number(municipality) === ladder.data.municipalityId && (
        <LadderForm key={`${ladder.data.municipalityId}`} ladder={ladder.data} canEdit={canEdit} onSaved={() => void ladder.reload()} />
      )}
    </Stack>
  );
}

function LadderForm({ ladder, canEdit, onSaved }: { ladder: Ladder; canEdit: boolean; onSaved: () => void }) {
  const form = useForm(toForm(ladder));
  const { busy, run } = useBusyAction((err) => form.showError(err));
  // issue 14: the version loaded goes back with the save; «Ricarica» reads the procedure as saved now
  const [version, setVersion] = useState(ladder.version);
  const reload = () =>
    call('debts.ladder.get', { municipalityId: ladder.municipalityId })
      .then((l) => {
        setVersion(l.version);
        form.reset(toForm(l));
      })
      .catch((err) => notifyError(err));
  const v = form.values;
  const setStep = (k: number, patch: Partial<StepForm>) => form.set('steps', v.steps.map((s) => (s.key === k ? { ...s, ...patch } : s)));
  const move = (i: number, by: number) => {
    const next = [...v.steps];
    const [s] = next.splice(i, 1);
    next.splice(i + by, 0, s);
    form.set('steps', next);
  };

  const save = () =>
    run(async () => {
      const issues: Record<string, string> = {};
      const steps = v.steps.map((s, i) => {
        const cents = s.threshold.trim() ? parseEuroToCents(s.threshold) : null;
        if (s.threshold.trim() && cents === null) issues[`steps.${i}.thresholdCents`] = 'Importo non valido: ad esempio 15,00';
        return {
          name: s.name,
          thresholdCents: cents,
          thresholdMeals: num(s.meals),
          minDaysSincePrevious: num(s.minDays) ?? 0,
          channel: s.channel,
          template: s.template,
          daysToPay: num(s.daysToPay) ?? 0,
        };
      });
      if (Object.keys(issues).length) {
        form.setErrors(issues);
        return;
      }
      const out = await call('debts.ladder.update', { municipalityId: ladder.municipalityId, version, suspensionAllowed: v.suspensionAllowed, enrollmentRefusalAllowed: v.enrollmentRefusalAllowed, steps });
      setVersion(out.version);
      form.reset(toForm(out));
      notifySuccess(`Procedura del Comune di ${out.municipalityName} salvata: ${out.steps.length} passi`, 'Procedura salvata');
      onSaved();
    });

  return (
    <Stack gap="sm" data-testid="ladder-form">
      <ConflictAlert conflict={conflictOf(form.conflict, () => void reload())} />
      {ladder.isDefault && (
        <Alert color="blue" variant="light" data-testid="ladder-default">
          Il Comune di {ladder.municipalityName} non ha ancora una procedura propria: vale quella predefinita qui sotto (sollecito a 15 €, sollecito scritto dopo 15 giorni, diffida con
          raccomandata A/R oltre 50 €). {canEdit ? 'Salvando, diventa la procedura del comune.' : ''}
        </Alert>
      )}
      {!canEdit && (
        <Alert color="gray" variant="light">
          Solo un supervisore può modificare la procedura.
        </Alert>
      )}
      <Card withBorder radius="md">
        <Title order={4} fz="md" mb="xs">
          Cosa consente il regolamento del comune
        </Title>
        <Stack gap="xs">
          <Switch
            label="Sospendere il servizio durante l'anno, dopo una diffida consegnata"
            checked={v.suspensionAllowed}
            onChange={(e) => form.set('suspensionAllowed', e.currentTarget.checked)}
            disabled={!canEdit}
          />
          <Switch
            label="Negare l'iscrizione all'anno successivo alle famiglie con debiti"
            checked={v.enrollmentRefusalAllowed}
            onChange={(e) => form.set('enrollmentRefusalAllowed', e.currentTarget.checked)}
            disabled={!canEdit}
          />
        </Stack>
      </Card>
      {v.steps.map((s, i) => (
        <Card key={s.key} withBorder radius="md" data-testid="ladder-step">
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Badge size="lg" variant="filled" radius="sm">
                Passo {i + 1}
              </Badge>
              <Text fw={600}>{s.name || 'Senza nome'}</Text>
            </Group>
            {canEdit && (
              <Group gap={4}>
                <ActionIcon variant="subtle" aria-label={`Sposta su il passo ${i + 1}`} disabled={i === 0} onClick={() => move(i, -1)}>
                  <IconArrowUp size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" aria-label={`Sposta giù il passo ${i + 1}`} disabled={i === v.steps.length - 1} onClick={() => move(i, 1)}>
                  <IconArrowDown size={16} />
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" aria-label={`Togli il passo ${i + 1}`} disabled={v.steps.length === 1} onClick={() => form.set('steps', v.steps.filter((x) => x.key !== s.key))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            )}
          </Group>
          <Grid gutter="sm">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TextInput label="Nome del passo" withAsterisk value={s.name} onChange={(e) => setStep(s.key, { name: e.currentTarget.value })} error={errorFor(form.errors, `steps.${i}.name`)} disabled={!canEdit} maxLength={120} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Select label="Mezzo" data={CHANNEL_OPTIONS} value={s.channel} onChange={(c) => c && setStep(s.key, { channel: c as DebtChannel })} allowDeselect={false} error={errorFor(form.errors, `steps.${i}.channel`)} disabled={!canEdit} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <MoneyField
                label="Soglia in euro"
                description="debito di almeno"
                value={s.threshold}
                onChange={(e) => setStep(s.key, { threshold: e.currentTarget.value })}
                error={errorFor(form.errors, `steps.${i}.thresholdCents`)}
                disabled={!canEdit}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <NumberInput
                label="e/o soglia in pasti"
                description="pasti oltre il credito"
                min={1}
                max={1000}
                allowDecimal={false}
                value={s.meals}
                onChange={(n) => setStep(s.key, { meals: n })}
                error={errorFor(form.errors, `steps.${i}.thresholdMeals`)}
                disabled={!canEdit}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <NumberInput
                label={i === 0 ? 'Giorni dal debito' : 'Giorni dal passo prima'}
                description={i === 0 ? 'dal primo importo non pagato' : 'attesa minima'}
                min={0}
                max={365}
                allowDecimal={false}
                value={s.minDays}
                onChange={(n) => setStep(s.key, { minDays: n })}
                error={errorFor(form.errors, `steps.${i}.minDaysSincePrevious`)}
                disabled={!canEdit}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 6, md: 3 }}>
              <NumberInput
                label="Giorni per pagare"
                description="termine scritto nella lettera"
                min={1}
                max={180}
                allowDecimal={false}
                value={s.daysToPay}
                onChange={(n) => setStep(s.key, { daysToPay: n })}
                error={errorFor(form.errors, `steps.${i}.daysToPay`)}
                disabled={!canEdit}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label="Testo della lettera"
                description={`Segnaposto: ${Object.entries(DEBT_PLACEHOLDER_HELP)
                  .map(([k, what]) => `{${k}} ${what}`)
                  .join(' · ')}`}
                autosize
                minRows={3}
                maxRows={10}
                value={s.template}
                onChange={(e) => setStep(s.key, { template: e.currentTarget.value })}
                error={errorFor(form.errors, `steps.${i}.template`)}
                disabled={!canEdit}
              />
            </Grid.Col>
          </Grid>
        </Card>
      ))}
      {errorFor(form.errors, 'steps') && !Object.keys(form.errors).some((k) => k.startsWith('steps.')) && (
        <Text size="sm" c="red">
          {errorFor(form.errors, 'steps')}
        </Text>
      )}
      {canEdit && (
        // the save bar stays in view at the bottom of the window while the steps scroll
        <Group justify="space-between" py="xs" style={{ position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-gray-3)', zIndex: 2 }}>
          <Button
            variant="light"
            leftSection={<IconPlus size={16} />}
            disabled={v.steps.length >= 20}
            onClick={() => {
              const last = v.steps[v.steps.length - 1];
              form.set('steps', [
                ...v.steps,
                { key: stepKey++, name: '', threshold: last?.threshold ?? '', meals: '', minDays: 15, channel: 'raccomandata_ar', template: '', daysToPay: 15 },
              ]);
            }}
          >
            Aggiungi passo
          </Button>
          <Button leftSection={<IconDeviceFloppy size={16} />} loading={busy} onClick={() => void save()}>
            Salva la procedura
          </Button>
        </Group>
      )}
    </Stack>
  );
}
