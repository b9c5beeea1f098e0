import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../header/language-switch';
import { healthQuery } from './queries';

/** Without a session (GET /api/session → 401) the app is opened from the App Center. */
export function NotSignedIn() {
  const { t } = useTranslation();
  const health = useQuery(healthQuery);
  const appCenterUrl = health.data?.appCenterUrl ?? null;
  return (
    <main className="signin">
      <div className="signin-lang">
        <LanguageSwitch />
      </div>
      <section className="card signin-card">
        <h1>{t('signin.title')}</h1>
        <p>{t('signin.text')}</p>
        {appCenterUrl ? (
          <p>
            <a className="btn btn-primary" href={appCenterUrl}>
              {t('signin.link')}
            </a>
          </p>
        ) : (
          !health.isPending && <p className="muted">{t('signin.noLink')}</p>
        )}
      </section>
    </main>
  );
}

/**
 * The session ended while the page was open (it idles out after a while). The page stays, with
 * every unsaved edit kept for when the app is opened again from the App Center.
 */
export function SessionExpiredBanner() {
  const { t } = useTranslation();
  const health = useQuery(healthQuery);
  const appCenterUrl = health.data?.appCenterUrl ?? null;
  return (
    <div className="banner banner-error" role="alert" data-testid="session-expired-banner">
      <div>
        <strong>{t('signin.expiredTitle')}</strong>
        <p>{t('signin.expiredText')}</p>
      </div>
      {appCenterUrl ? (
        <a className="btn btn-primary" href={appCenterUrl}>
          {t('signin.link')}
        </a>
      ) : (
        <p className="muted">{t('signin.noLink')}</p>
      )}
    </div>
  );
}
