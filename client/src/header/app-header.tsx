import { useTranslation } from 'react-i18next';
import { useLogout } from '../session/mutations';
import { ConnectionPanel } from './connection-panel';
import { LanguageSwitch } from './language-switch';

function LogoutButton() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <button
      type="button"
      className="btn btn-link btn-small"
      disabled={logout.isPending}
      onClick={() => logout.mutate()}
    >
      {t('app.logout')}
    </button>
  );
}

export function AppHeader({ user }: { user: string | null }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <div className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            <svg width="28" height="28" viewBox="0 0 48 48">
              <rect width="48" height="48" rx="10" fill="#ff7a59" />
              <circle cx="27" cy="24" r="7" fill="none" stroke="#fff" strokeWidth="4" />
              <circle cx="15" cy="14" r="3.5" fill="#fff" />
              <path d="M17.5 16.5 L22 20.5" stroke="#fff" strokeWidth="3" />
              <path d="M27 17 V10" stroke="#fff" strokeWidth="3" />
              <circle cx="27" cy="9" r="2.5" fill="#fff" />
            </svg>
          </span>
          <div>
            <h1>{t('app.title')}</h1>
            <p className="subtitle">{t('app.subtitle')}</p>
          </div>
        </div>
        <div className="topbar-end">
          {user && <span className="signed-in">{t('app.signedInAs', { user })}</span>}
          {user && <LogoutButton />}
          <LanguageSwitch />
        </div>
      </div>
      <section className="connection-bar" aria-label={t('connection.region')}>
        <ConnectionPanel />
      </section>
    </header>
  );
}
