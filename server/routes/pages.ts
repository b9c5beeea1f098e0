import { createHash } from 'node:crypto';

/** Tiny server-rendered pages for the browser flows that end outside the SPA. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The pages' one style block. The app's CSP blocks style attributes and inline styles, so the
 * CSP names this block by its hash (PAGE_STYLE_CSP_SOURCE): it and nothing else is allowed.
 */
const PAGE_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2a37}' +
  'h1{font-size:1.4rem}';

/** The CSP source that allows PAGE_STYLE (a style-src hash). */
export const PAGE_STYLE_CSP_SOURCE = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

/** `body` is trusted HTML made by the caller with escapeHtml around anything from outside. */
export function messagePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – HubSpot</title><style>${PAGE_STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${body}</p></body></html>`;
}
