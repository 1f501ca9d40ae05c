import { useState, type ReactNode } from 'react';
import { AppShell, Avatar, Badge, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import {
  IconBuildingCommunity,
  IconCalendar,
  IconChevronDown,
  IconClipboardList,
  IconCoin,
  IconDashboard,
  IconFileImport,
  IconHistory,
  IconKey,
  IconLogout,
  IconSchool,
  IconUserCog,
  IconUsers,
  IconUsersGroup,
  IconDatabase,
  IconCalendarEvent,
  IconCalendarUser,
  IconFileCertificate,
  IconLock,
  IconToolsKitchen2,
  IconWallet,
  IconFileInvoice,
  IconAlertCircle,
  IconReceipt2,
  IconFileUpload,
  IconFileDollar,
  IconBuildingStore,
  IconSignature,
  IconBuildingBank,
  IconFileEuro,
  IconReceiptRefund,
  IconSalad,
  IconStethoscope,
  IconBellRinging,
  IconListDetails,
} from '@tabler/icons-react';
import { ROLE_LABELS, type Role } from '../../../electron/contract/roles';
import { useSession } from '../auth/session';
import { ChangePasswordModal } from '../auth/change-password';
import { navigate, usePath } from './router';
import { CLOCK_BANNER_HEIGHT, ClockBanner, usePracticeClock } from './program-clock';
import { DashboardPage } from '../dashboard/dashboard-page';
import { PupilsPage } from '../pupils/pupils-page';
import { PayersPage } from '../payers/payers-page';
import { EnrollmentsPage } from '../enrollments/enrollments-page';
import { ImportPage } from '../imports/import-page';
import { MunicipalitiesPage } from '../master-data/municipalities-page';
import { SchoolYearsPage } from '../master-data/school-years-page';
import { SchoolsPage } from '../master-data/schools-page';
import { TariffsPage } from '../master-data/tariffs-page';
import { UsersPage } from '../users/users-page';
import { AuditPage } from '../audit/audit-page';
import { CalendarPage } from '../calendar/calendar-page';
import { PresencePage } from '../attendance/presence-page';
import { EvidencePage } from '../attendance/evidence-page';
import { DayClosePage } from '../attendance/day-close-page';
import { KitchenPage } from '../kitchen/kitchen-page';
import { AccountPage } from '../money/account-page';
import { StatementPage } from '../money/statement-page';
import { CreditPage } from '../money/credit-page';
import { RegisterPage } from '../money/register-page';
import { PagopaImportPage } from '../money/pagopa-import-page';
import { Tax730Page } from '../money/tax730-page';
import { CatererPage } from '../money/caterer-page';
import { MandatesPage } from '../sdd/mandates-page';
import { CreditorPage } from '../sdd/creditor-page';
import { BatchesPage } from '../sdd/batches-page';
import { ReturnsPage } from '../sdd/returns-page';
import { DietsPage } from '../diets/diets-page';
import { ApprovalPage } from '../diets/approval-page';
import { RenewalsPage } from '../diets/renewals-page';
import { SchoolListPage } from '../diets/school-list-page';
import { CataloguePage } from '../diets/catalogue-page';
import { GlobalSearch } from '../search/global-search';
import { personRoute } from '../search/people-routes';
import { IconPlayerPause } from '@tabler/icons-react';
import { SuspensionsPage } from '../debts/suspensions-page';
import { IconFolderOpen, IconReportMoney, IconStairsUp } from '@tabler/icons-react';
import { DebtWorklistPage } from '../debts/worklist-page';
import { DebtFamilyPage } from '../debts/family-page';
import { DebtLadderPage } from '../debts/ladder-page';
import { IconGavel, IconReceiptEuro } from '@tabler/icons-react';
import { DebtReportPage } from '../debts/report-page';
import { DebtNoticesPage } from '../debts/notices-page';
import { IconNews, IconWorldUpload } from '@tabler/icons-react';
import { PortalSyncPage } from '../portal/sync-page';
import { NewsPage } from '../portal/news-page';

interface Route {
  path: string;
  label: string;
  icon: ReactNode;
  role: Role;
  page: () => ReactNode;
  group?: string;
}

const ROUTES: Route[] = [
  { path: '/', label: 'Cruscotto', icon: <IconDashboard size={18} />, role: 'operatore', page: () => <DashboardPage /> },
  { path: '/alunni', label: 'Alunni', icon: <IconUsers size={18} />, role: 'operatore', page: () => <PupilsPage /> },
  { path: '/paganti', label: 'Paganti', icon: <IconUsersGroup size={18} />, role: 'operatore', page: () => <PayersPage /> },
  { path: '/iscrizioni', label: 'Iscrizioni', icon: <IconClipboardList size={18} />, role: 'operatore', page: () => <EnrollmentsPage /> },
  { path: '/importazione', label: 'Importazione', icon: <IconFileImport size={18} />, role: 'operatore', page: () => <ImportPage /> },
  { path: '/calendario', label: 'Calendario del servizio', icon: <IconCalendarEvent size={18} />, role: 'operatore', page: () => <CalendarPage />, group: 'Mensa' },
  { path: '/presenze', label: 'Presenze e disdette', icon: <IconCalendarUser size={18} />, role: 'operatore', page: () => <PresencePage />, group: 'Mensa' },
  { path: '/prova-disdette', label: 'Prova delle disdette', icon: <IconFileCertificate size={18} />, role: 'operatore', page: () => <EvidencePage />, group: 'Mensa' },
  { path: '/chiusura-giornata', label: 'Chiusura giornata', icon: <IconLock size={18} />, role: 'operatore', page: () => <DayClosePage />, group: 'Mensa' },
  { path: '/cucina', label: 'Riepilogo pasti', icon: <IconToolsKitchen2 size={18} />, role: 'operatore', page: () => <KitchenPage />, group: 'Mensa' },
  { path: '/diete', label: 'Diete speciali', icon: <IconSalad size={18} />, role: 'operatore', page: () => <DietsPage />, group: 'Mensa' },
  { path: '/diete/approvazione', label: 'Approvazione diete', icon: <IconStethoscope size={18} />, role: 'supervisore', page: () => <ApprovalPage />, group: 'Mensa' },
  { path: '/diete/rinnovi', label: 'Rinnovo diete', icon: <IconBellRinging size={18} />, role: 'operatore', page: () => <RenewalsPage />, group: 'Mensa' },
  { path: '/diete/elenco', label: 'Elenco diete per scuola', icon: <IconListDetails size={18} />, role: 'operatore', page: () => <SchoolListPage />, group: 'Mensa' },
  { path: '/conto-alunno', label: "Conto dell'alunno", icon: <IconWallet size={18} />, role: 'operatore', page: () => <AccountPage />, group: 'Pagamenti' },
  { path: '/estratto-conto', label: 'Estratto conto', icon: <IconFileInvoice size={18} />, role: 'operatore', page: () => <StatementPage />, group: 'Pagamenti' },
  { path: '/credito', label: 'Credito e solleciti', icon: <IconAlertCircle size={18} />, role: 'operatore', page: () => <CreditPage />, group: 'Pagamenti' },
  { path: '/registro-incassi', label: 'Registro incassi', icon: <IconReceipt2 size={18} />, role: 'operatore', page: () => <RegisterPage />, group: 'Pagamenti' },
  { path: '/rendicontazione-pagopa', label: 'Rendicontazione pagoPA', icon: <IconFileUpload size={18} />, role: 'operatore', page: () => <PagopaImportPage />, group: 'Pagamenti' },
  { path: '/dichiarazioni-730', label: 'Dichiarazioni 730', icon: <IconFileDollar size={18} />, role: 'operatore', page: () => <Tax730Page />, group: 'Pagamenti' },
  { path: '/mandati-sdd', label: 'Mandati SDD', icon: <IconSignature size={18} />, role: 'operatore', page: () => <MandatesPage />, group: 'Pagamenti' },
  { path: '/distinte-sdd', label: 'Distinte SDD', icon: <IconFileEuro size={18} />, role: 'operatore', page: () => <BatchesPage />, group: 'Pagamenti' },
  { path: '/esiti-sdd', label: 'Esiti SDD', icon: <IconReceiptRefund size={18} />, role: 'operatore', page: () => <ReturnsPage />, group: 'Pagamenti' },
  { path: '/impostazioni-sdd', label: 'Impostazioni SDD', icon: <IconBuildingBank size={18} />, role: 'operatore', page: () => <CreditorPage />, group: 'Pagamenti' },
  { path: '/morosita', label: 'Morosità', icon: <IconReportMoney size={18} />, role: 'operatore', page: () => <DebtWorklistPage />, group: 'Morosità' },
  { path: '/morosita/famiglia', label: 'Fascicolo della famiglia', icon: <IconFolderOpen size={18} />, role: 'operatore', page: () => <DebtFamilyPage />, group: 'Morosità' },
  { path: '/morosita/procedure', label: 'Procedure di recupero', icon: <IconStairsUp size={18} />, role: 'operatore', page: () => <DebtLadderPage />, group: 'Morosità' },
  { path: '/morosita/avvisi', label: 'Avvisi pagoPA', icon: <IconReceiptEuro size={18} />, role: 'operatore', page: () => <DebtNoticesPage />, group: 'Morosità' },
  { path: '/morosita/comune', label: 'Morosi per il comune', icon: <IconGavel size={18} />, role: 'supervisore', page: () => <DebtReportPage />, group: 'Morosità' },
  { path: '/sospensioni', label: 'Sospensioni', icon: <IconPlayerPause size={18} />, role: 'supervisore', page: () => <SuspensionsPage />, group: 'Morosità' },
  { path: '/portale', label: 'Sincronizzazione', icon: <IconWorldUpload size={18} />, role: 'operatore', page: () => <PortalSyncPage />, group: 'Portale famiglie' },
  { path: '/portale/avvisi', label: 'Avvisi e news', icon: <IconNews size={18} />, role: 'operatore', page: () => <NewsPage />, group: 'Portale famiglie' },
  { path: '/anagrafiche/comuni', label: 'Comuni', icon: <IconBuildingCommunity size={18} />, role: 'operatore', page: () => <MunicipalitiesPage />, group: 'Anagrafiche' },
  { path: '/anagrafiche/anni', label: 'Anni scolastici', icon: <IconCalendar size={18} />, role: 'operatore', page: () => <SchoolYearsPage />, group: 'Anagrafiche' },
  { path: '/anagrafiche/scuole', label: 'Scuole e classi', icon: <IconSchool size={18} />, role: 'operatore', page: () => <SchoolsPage />, group: 'Anagrafiche' },
  { path: '/anagrafiche/tariffe', label: 'Tariffe', icon: <IconCoin size={18} />, role: 'operatore', page: () => <TariffsPage />, group: 'Anagrafiche' },
  { path: '/anagrafiche/diete', label: 'Catalogo diete', icon: <IconSalad size={18} />, role: 'operatore', page: () => <CataloguePage />, group: 'Anagrafiche' },
  { path: '/anagrafiche/ditta', label: 'Dati della ditta', icon: <IconBuildingStore size={18} />, role: 'operatore', page: () => <CatererPage />, group: 'Anagrafiche' },
  { path: '/utenti', label: 'Utenti', icon: <IconUserCog size={18} />, role: 'amministratore', page: () => <UsersPage /> },
  { path: '/registro', label: 'Registro modifiche', icon: <IconHistory size={18} />, role: 'supervisore', page: () => <AuditPage /> },
];

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('');
}

export function AppLayout() {
  const session = useSession();
  const path = usePath();
  const [pwOpen, setPwOpen] = useState(false);
  // a practice clock (tests, training) is announced above the header of every screen
  const practice = usePracticeClock();
  const user = session.user!;
  const visible = ROUTES.filter((r) => session.can(r.role));
  // a person's page (#/alunni/123, #/paganti/45) lives under its list in the menu
  const person = personRoute(path);
  const route = visible.find((r) => r.path === (person?.parent ?? path)) ?? visible[0];

  const top = visible.filter((r) => !r.group);
  const master = visible.filter((r) => r.group === 'Anagrafiche');
  const canteen = visible.filter((r) => r.group === 'Mensa');
  const money = visible.filter((r) => r.group === 'Pagamenti');
  const debts = visible.filter((r) => r.group === 'Morosità');
  const portal = visible.filter((r) => r.group === 'Portale famiglie');
  const link = (r: Route) => (
    <NavLink
      key={r.path}
      href={`#${r.path}`}
      label={r.label}
      leftSection={r.icon}
      active={route.path === r.path}
      onClick={(e) => {
        e.preventDefault();
        navigate(r.path);
      }}
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );

  return (
    <AppShell header={{ height: 52 + (practice ? CLOCK_BANNER_HEIGHT : 0) }} navbar={{ width: 230, breakpoint: 0 }} padding="md">
      <AppShell.Header style={{ background: 'var(--mantine-color-blue-8)', borderBottom: 0 }}>
        <ClockBanner />
        <Group h={52} px="md" justify="space-between">
          <Group gap="xs">
            <IconDatabase color="white" size={22} />
            <Text c="white" fw={700} fz="lg">
              Rette Mensa
            </Text>
            <Text c="blue.1" fz="sm">
              ufficio rette
            </Text>
          </Group>
          <GlobalSearch />
          <Menu position="bottom-end" width={220} shadow="md">
            <Menu.Target>
              <UnstyledButton aria-label="Menu utente" data-testid="user-menu">
                <Group gap="xs">
                  <Avatar size={30} radius="xl" color="blue" variant="white">
                    {initials(user.displayName)}
                  </Avatar>
                  <div style={{ lineHeight: 1.1 }}>
                    <Text c="white" fz="sm" fw={600} data-testid="current-user">
                      {user.displayName}
                    </Text>
                    <Text c="blue.1" fz="xs" data-testid="current-role">
                      {ROLE_LABELS[user.role]}
                    </Text>
                  </div>
                  <IconChevronDown color="white" size={16} />
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>
                Connesso come {user.username} <Badge size="xs" variant="light">{ROLE_LABELS[user.role]}</Badge>
              </Menu.Label>
              <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setPwOpen(true)}>
                Cambia password
              </Menu.Item>
              <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void session.signOut()}>
                Esci
              </Menu.Item>
              <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void session.signOut(true)} data-testid="logout-everywhere">
                Chiudi le sessioni su tutte le postazioni
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label="Navigazione principale">
            {top.filter((r) => ['/', '/alunni', '/paganti', '/iscrizioni', '/importazione'].includes(r.path)).map(link)}
            {canteen.length > 0 && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                Mensa
              </Text>
            )}
            {canteen.map(link)}
            {money.length > 0 && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                Pagamenti
              </Text>
            )}
            {money.map(link)}
            {debts.length > 0 && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                Morosità
              </Text>
            )}
            {debts.map(link)}
            {portal.length > 0 && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                Portale famiglie
              </Text>
            )}
            {portal.map(link)}
            {master.length > 0 && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                Anagrafiche
              </Text>
            )}
            {master.map(link)}
            {top.some((r) => r.path === '/utenti' || r.path === '/registro') && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={4} px="sm">
                Amministrazione
              </Text>
            )}
            {top.filter((r) => r.path === '/utenti' || r.path === '/registro').map(link)}
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <div key={person ? path : route.path}>{person ? person.page() : route.page()}</div>
      </AppShell.Main>
      <ChangePasswordModal opened={pwOpen} onClose={() => setPwOpen(false)} />
    </AppShell>
  );
}
