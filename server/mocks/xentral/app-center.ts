import { Router } from 'express';
import type { Clock } from '../../clock';
import { signLaunchToken } from '../../auth/launch-token';
import { baseUrlOf } from './http';

/** The app the App Center lists; the launch URL is known only once the app listens. */
export interface AppCenterApp {
  appName: string;
  launchUrl: string;
  launchSecret: string;
  /**
   * The `iss` of the tokens it signs: the URL the app knows this Xentral by. Without it, the
   * URL the browser used, which differs when the admin types localhost for 127.0.0.1.
   */
  issuer?: string;
}

const APP_SLUG = 'hubspot';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f4f5f7; color: #1f2933; }
  header { background: #1f2933; color: #fff; padding: 12px 24px; font-weight: 600; letter-spacing: .02em; }
  header span { color: #9aa5b1; font-weight: 400; margin-left: 8px; }
  main { max-width: 880px; margin: 32px auto; padding: 0 24px; }
  h1 { font-size: 24px; margin: 0 0 4px; }
  p.lead { color: #52606d; margin: 0 0 24px; }
  ul { list-style: none; padding: 0; margin: 0; }
  li.app { display: flex; align-items: center; gap: 16px; background: #fff; border: 1px solid #e4e7eb; border-radius: 8px; padding: 16px; }
  li.app h2 { font-size: 18px; margin: 0 0 4px; }
  li.app p { margin: 0; color: #52606d; }
  li.app .text { flex: 1; }
  .badge { font-size: 12px; color: #0b6e4f; background: #e3f9e5; border-radius: 999px; padding: 2px 8px; margin-left: 8px; }
  a.open { background: #ff7a59; color: #fff; text-decoration: none; font-weight: 600; padding: 8px 20px; border-radius: 6px; }
  a.open:hover { background: #e8663f; }
  .empty { background: #fff; border: 1px dashed #cbd2d9; border-radius: 8px; padding: 24px; color: #52606d; }
`;

const ICON = `<svg width="48" height="48" viewBox="0 0 48 48" aria-hidden="true"><rect width="48" height="48" rx="10" fill="#ff7a59"/><circle cx="27" cy="24" r="7" fill="none" stroke="#fff" stroke-width="4"/><circle cx="15" cy="14" r="3.5" fill="#fff"/><path d="M17.5 16.5 L22 20.5" stroke="#fff" stroke-width="3"/><path d="M27 17 V10" stroke="#fff" stroke-width="3"/><circle cx="27" cy="9" r="2.5" fill="#fff"/></svg>`;

function page(body: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>App Center – Xentral</title>
<style>${STYLE}</style>
</head>
<body>
<header>xentral<span>App Center</span></header>
<main>
${body}
</main>
</body>
</html>`;
}

function listPage(app: AppCenterApp | undefined): string {
  const apps = app
    ? `<ul>
  <li class="app">
    ${ICON}
    <div class="text">
      <h2>${escapeHtml(app.appName)}<span class="badge">Installiert</span></h2>
      <p>Kontakte, Firmen, Benutzer und Deals zwischen Xentral und HubSpot austauschen.</p>
    </div>
    <a class="open" href="/appcenter/apps/${APP_SLUG}/open">Öffnen</a>
  </li>
</ul>`
    : '<p class="empty">Es ist noch keine App installiert.</p>';
  return page(`<h1>App Center</h1>
<p class="lead">Installierte Apps für Ihre Xentral-Instanz</p>
${apps}`);
}

/**
 * Xentral's App Center, reduced to what the launch flow needs: the list of installed apps and
 * "Öffnen", which sends the admin to the app with a freshly signed launch token (a token
 * expires after two minutes, so it is minted on click, not when the list is rendered).
 */
export function appCenterRoutes(app: () => AppCenterApp | undefined, clock: Clock): Router {
  const router = Router();
  const noStore = (res: { set(field: string, value: string): unknown }) => {
    res.set('Cache-Control', 'no-store');
    res.set(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'self'",
    );
  };

  router.get('/', (_req, res) => {
    res.redirect(302, '/appcenter');
  });

  router.get('/appcenter', (_req, res) => {
    noStore(res);
    res.type('html').send(listPage(app()));
  });

  router.get('/appcenter/apps/:slug/open', (req, res) => {
    const registered = app();
    noStore(res);
    if (!registered || req.params.slug !== APP_SLUG) {
      res
        .status(404)
        .type('html')
        .send(
          page('<h1>App nicht gefunden</h1><p class="empty">Diese App ist nicht installiert.</p>'),
        );
      return;
    }
    const token = signLaunchToken(
      registered.launchSecret,
      { iss: registered.issuer ?? baseUrlOf(req), sub: 'admin', name: 'Admin' },
      clock(),
    );
    const target = new URL(registered.launchUrl);
    target.searchParams.set('token', token);
    res.redirect(302, target.toString());
  });

  return router;
}
