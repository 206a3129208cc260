import 'bootstrap-italia/dist/css/bootstrap-italia.min.css';
import './styles/app.css';
import fontsLoader from 'bootstrap-italia/dist/plugins/fonts-loader.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { I18nProvider } from './i18n/index.js';
import { NotificationsProvider } from './lib/notifications.js';
import { SessionProvider } from './lib/session.js';

// Titillium Web & co. are served by us (see web/vite.config.ts), never by a CDN.
fontsLoader('/bootstrap-italia/dist/fonts');

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <NotificationsProvider>
          <App />
        </NotificationsProvider>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
