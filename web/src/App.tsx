import { type ReactNode, useEffect } from 'react';
import { Layout } from './components/Layout.js';
import { Spinner } from './components/ui.js';
import { useI18n } from './i18n/index.js';
import { landingPath } from './lib/landing.js';
import { Link, matchPath, navigate, useLocation } from './lib/router.js';
import { loginRedirectTarget, useSession } from './lib/session.js';
import { AccessibilityStatementPage, PrivacyNoticePage } from './pages/AccessibilityStatementPage.js';
import { AdminPage } from './pages/AdminPage.js';
import { ACTIONS_PATH, ALARMS_PATH, STAFFING_PATH } from './pages/analytics-work.js';
import { AlarmsPage } from './pages/AlarmsPage.js';
import { ActionsPage } from './pages/ActionsPage.js';
import { StaffingPage } from './pages/StaffingPage.js';
import { ANALYTICS_PATH, AnalyticsPage } from './pages/AnalyticsPage.js';
import { ARCHIVE_EXPORTS_PATH, ARCHIVE_PATH, ArchivePage } from './pages/ArchivePage.js';
import { CitizenStatusPage } from './pages/CitizenStatusPage.js';
import { FAQ_EDITORIAL_PATH, FaqEditorPage } from './pages/FaqEditorPage.js';
import { FaqGapsPage } from './pages/FaqGapsPage.js';
import { FaqPortalPage } from './pages/FaqPortalPage.js';
import { HISTORY_IMPORT_PATH, HistoryImportPage } from './pages/HistoryImportPage.js';
import { InboxPage } from './pages/InboxPage.js';
import { IncidentPage, INCIDENTS_PATH, IncidentsPage } from './pages/IncidentPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MAIL_PATH, MailPage } from './pages/MailPage.js';
import { PasswordLinkPage, SetupPage } from './pages/SetupPage.js';
import { PortalRequestPage } from './pages/PortalRequestPage.js';
import { PortalTrackingPage } from './pages/PortalTrackingPage.js';
import { NewTicketPage } from './pages/NewTicketPage.js';
import { ONBOARDING_IMPORTS_PATH, OnboardingImportsPage } from './pages/OnboardingImportsPage.js';
import { PRIVACY_REQUESTS_PATH, PrivacyRequestsPage } from './pages/PrivacyRequestsPage.js';
import { RETENTION_PATH, RetentionPage } from './pages/RetentionPage.js';
import { ROUTING_SETTINGS_PATH, RoutingSettingsPage } from './pages/RoutingSettingsPage.js';
import { COVERAGE_PATH, CoveragePage } from './pages/CoveragePage.js';
import { RequestsPage } from './pages/RequestsPage.js';
import { TaxonomyPage } from './pages/TaxonomyPage.js';
import { ThesaurusPage } from './pages/ThesaurusPage.js';
import { TicketPage } from './pages/TicketPage.js';
import { TokensPage } from './pages/TokensPage.js';
import { WALLBOARD_PATH, WallboardPage } from './pages/WallboardPage.js';

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
      {(loading && !current.citizen) || mustLogin || mustLand ? <Spinner /> : current.page}
    </Layout>
  );
}
