import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Layout } from './components/Layout.js';
import { Spinner } from './components/ui.js';
import { useI18n } from './i18n/index.js';
import { landingPath } from './lib/landing.js';
import { Link, matchPath, navigate, useLocation } from './lib/router.js';
import { loginRedirectTarget, useSession } from './lib/session.js';
import { AccessibilityStatementPage, PrivacyNoticePage } from './pages/AccessibilityStatementPage.js';
import { ACTIONS_PATH, ALARMS_PATH, STAFFING_PATH } from './pages/analytics-work.js';
import { ANALYTICS_PATH, ARCHIVE_EXPORTS_PATH, ARCHIVE_PATH, COVERAGE_PATH, FAQ_EDITORIAL_PATH, HISTORY_IMPORT_PATH, INCIDENTS_PATH, MAIL_PATH, ONBOARDING_IMPORTS_PATH, PRIVACY_REQUESTS_PATH, RETENTION_PATH, ROUTING_SETTINGS_PATH, WALLBOARD_PATH } from './pages/paths.js';
import { CitizenStatusPage } from './pages/CitizenStatusPage.js';
import { FaqPortalPage } from './pages/FaqPortalPage.js';
import { PortalRequestPage } from './pages/PortalRequestPage.js';
import { PortalTrackingPage } from './pages/PortalTrackingPage.js';

// Staff pages are loaded when first opened (each its own chunk): the citizens' portal, which is all
// most visitors see, downloads only its own pages.
const AdminPage = lazy(() => import('./pages/AdminPage.js').then((m) => ({ default: m.AdminPage })));
const AlarmsPage = lazy(() => import('./pages/AlarmsPage.js').then((m) => ({ default: m.AlarmsPage })));
const ActionsPage = lazy(() => import('./pages/ActionsPage.js').then((m) => ({ default: m.ActionsPage })));
const StaffingPage = lazy(() => import('./pages/StaffingPage.js').then((m) => ({ default: m.StaffingPage })));
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage.js').then((m) => ({ default: m.AnalyticsPage })));
const ArchivePage = lazy(() => import('./pages/ArchivePage.js').then((m) => ({ default: m.ArchivePage })));
const FaqEditorPage = lazy(() => import('./pages/FaqEditorPage.js').then((m) => ({ default: m.FaqEditorPage })));
const FaqGapsPage = lazy(() => import('./pages/FaqGapsPage.js').then((m) => ({ default: m.FaqGapsPage })));
const HistoryImportPage = lazy(() => import('./pages/HistoryImportPage.js').then((m) => ({ default: m.HistoryImportPage })));
const InboxPage = lazy(() => import('./pages/InboxPage.js').then((m) => ({ default: m.InboxPage })));
const IncidentPage = lazy(() => import('./pages/IncidentPage.js').then((m) => ({ default: m.IncidentPage })));
const IncidentsPage = lazy(() => import('./pages/IncidentPage.js').then((m) => ({ default: m.IncidentsPage })));
const LoginPage = lazy(() => import('./pages/LoginPage.js').then((m) => ({ default: m.LoginPage })));
const MailPage = lazy(() => import('./pages/MailPage.js').then((m) => ({ default: m.MailPage })));
const PasswordLinkPage = lazy(() => import('./pages/SetupPage.js').then((m) => ({ default: m.PasswordLinkPage })));
const SetupPage = lazy(() => import('./pages/SetupPage.js').then((m) => ({ default: m.SetupPage })));
const NewTicketPage = lazy(() => import('./pages/NewTicketPage.js').then((m) => ({ default: m.NewTicketPage })));
const OnboardingImportsPage = lazy(() => import('./pages/OnboardingImportsPage.js').then((m) => ({ default: m.OnboardingImportsPage })));
const PrivacyRequestsPage = lazy(() => import('./pages/PrivacyRequestsPage.js').then((m) => ({ default: m.PrivacyRequestsPage })));
const RetentionPage = lazy(() => import('./pages/RetentionPage.js').then((m) => ({ default: m.RetentionPage })));
const RoutingSettingsPage = lazy(() => import('./pages/RoutingSettingsPage.js').then((m) => ({ default: m.RoutingSettingsPage })));
const CoveragePage = lazy(() => import('./pages/CoveragePage.js').then((m) => ({ default: m.CoveragePage })));
const RequestsPage = lazy(() => import('./pages/RequestsPage.js').then((m) => ({ default: m.RequestsPage })));
const TaxonomyPage = lazy(() => import('./pages/TaxonomyPage.js').then((m) => ({ default: m.TaxonomyPage })));
const ThesaurusPage = lazy(() => import('./pages/ThesaurusPage.js').then((m) => ({ default: m.ThesaurusPage })));
const TicketPage = lazy(() => import('./pages/TicketPage.js').then((m) => ({ default: m.TicketPage })));
const TokensPage = lazy(() => import('./pages/TokensPage.js').then((m) => ({ default: m.TokensPage })));
const WallboardPage = lazy(() => import('./pages/WallboardPage.js').then((m) => ({ default: m.WallboardPage })));

function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('app.notFound.title')}</h1>
      <p>{t('app.notFound.body')}</p>
      <Link href="/">{t('app.backToInbox')}</Link>
    </section>
  );
}

/** `citizen`: a page of the citizens' portal, shown at once without waiting for the staff session. */
function route(pathname: string, search: string): { page: ReactNode; title: string; public?: boolean; citizen?: boolean } {
  if (pathname === '/login') return { page: <LoginPage search={search} />, title: 'login.title', public: true };
  if (pathname === '/setup') return { page: <SetupPage />, title: 'setup.title', public: true };
  if (pathname === '/imposta-password') return { page: <PasswordLinkPage />, title: 'passwordLink.title', public: true };
  if (pathname === '/stato') return { page: <CitizenStatusPage search={search} />, title: 'citizen.title', public: true, citizen: true };
  if (pathname === '/faq') return { page: <FaqPortalPage search={search} />, title: 'faqPortal.title', public: true, citizen: true };
  if (pathname === '/richiesta') return { page: <PortalRequestPage search={search} />, title: 'portalRequest.title', public: true, citizen: true };
  if (pathname === '/segui') return { page: <PortalTrackingPage />, title: 'portalTracking.title', public: true, citizen: true };
  if (pathname === '/accessibilita') return { page: <AccessibilityStatementPage />, title: 'a11y.title', public: true, citizen: true };
  if (pathname === '/privacy') return { page: <PrivacyNoticePage />, title: 'privacyNotice.title', public: true, citizen: true };
  if (pathname === '/' || pathname === '/inbox') return { page: <InboxPage search={search} pathname={pathname} />, title: 'inbox.title' };
  if (pathname === '/tickets/new') return { page: <NewTicketPage />, title: 'ticket.new.title' };
  const ticket = matchPath('/tickets/:code', pathname);
  if (ticket?.code) return { page: <TicketPage key={ticket.code} code={ticket.code} />, title: '' };
  if (pathname === '/requests') return { page: <RequestsPage />, title: 'requests.title' };
  if (pathname === INCIDENTS_PATH) return { page: <IncidentsPage />, title: 'network.incidents.title' };
  const incident = matchPath(`${INCIDENTS_PATH}/:id`, pathname);
  if (incident?.id) return { page: <IncidentPage key={incident.id} id={incident.id} />, title: 'network.incidents.title' };
  if (pathname === '/admin') return { page: <AdminPage />, title: 'admin.title' };
  if (pathname === ONBOARDING_IMPORTS_PATH) return { page: <OnboardingImportsPage />, title: 'onboarding.title' };
  if (pathname === COVERAGE_PATH) return { page: <CoveragePage search={search} />, title: 'coverage.title' };
  if (pathname === HISTORY_IMPORT_PATH) return { page: <HistoryImportPage />, title: 'historicalImport.title' };
  if (pathname === '/faq/lacune') return { page: <FaqGapsPage />, title: 'faqGaps.title' };
  if (pathname === '/faq/thesaurus') return { page: <ThesaurusPage />, title: 'thesaurus.title' };
  if (pathname === FAQ_EDITORIAL_PATH || pathname.startsWith(`${FAQ_EDITORIAL_PATH}/`)) return { page: <FaqEditorPage pathname={pathname} search={search} />, title: 'faqEditorial.title' };
  if (pathname === '/account/tokens') return { page: <TokensPage />, title: 'tokens.title' };
  if (pathname === ARCHIVE_PATH || pathname === ARCHIVE_EXPORTS_PATH) return { page: <ArchivePage pathname={pathname} />, title: 'archive.title' };
  if (pathname === ANALYTICS_PATH) return { page: <AnalyticsPage />, title: 'analytics.title' };
  if (pathname === ALARMS_PATH || matchPath(`${ALARMS_PATH}/:id`, pathname)) return { page: <AlarmsPage pathname={pathname} />, title: 'analyticsWork.alarms.title' };
  if (pathname === ACTIONS_PATH || matchPath(`${ACTIONS_PATH}/:id`, pathname)) return { page: <ActionsPage pathname={pathname} search={search} />, title: 'analyticsWork.actions.title' };
  if (pathname === WALLBOARD_PATH) return { page: <WallboardPage />, title: 'routing.wallboard.title' };
  if (pathname === ROUTING_SETTINGS_PATH) return { page: <RoutingSettingsPage />, title: 'routingSettings.title' };
  if (pathname === MAIL_PATH) return { page: <MailPage />, title: 'citizenStaff.mail.title' };
  if (pathname === STAFFING_PATH) return { page: <StaffingPage />, title: 'analyticsWork.staffing.title' };
  if (pathname === RETENTION_PATH) return { page: <RetentionPage />, title: 'retention.title' };
  if (pathname === PRIVACY_REQUESTS_PATH) return { page: <PrivacyRequestsPage />, title: 'dsr.title' };
  if (pathname === '/taxonomia') return { page: <TaxonomyPage />, title: 'taxonomyEditor.title' };
  return { page: <NotFoundPage />, title: 'app.notFound.title' };
}

export function App() {
  const { pathname, search } = useLocation();
  const { session, loading } = useSession();
  const { t } = useI18n();
  const current = route(pathname, search);
  const mustLogin = !loading && !session && !current.public;
  // The home page is the inbox only for those who work on tickets: the others land on a page of their role.
  const home = session ? landingPath(session.memberships) : '/';
  const mustLand = !loading && session !== null && pathname === '/' && home !== '/';

  useEffect(() => {
    if (mustLogin) navigate(loginRedirectTarget(pathname, search), { replace: true });
    else if (mustLand) navigate(home, { replace: true });
  }, [mustLogin, mustLand, home, pathname, search]);

  useEffect(() => {
    if (current.title) document.title = `${t(current.title as Parameters<typeof t>[0])} · urpnet`;
  }, [current.title, t]);

  // Move focus to the new page's content after client-side navigation, as a full page load would.
  useEffect(() => {
    const main = document.getElementById('main-content');
    if (main && document.activeElement && document.activeElement !== document.body && !main.contains(document.activeElement)) {
      main.focus({ preventScroll: true });
    }
    window.scrollTo?.(0, 0);
  }, [pathname]);

  return (
    <Layout pathname={pathname}>
      {(loading && !current.citizen) || mustLogin || mustLand ? <Spinner /> : <Suspense fallback={<Spinner />}>{current.page}</Suspense>}
    </Layout>
  );
}
