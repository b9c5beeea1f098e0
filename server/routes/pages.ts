/** Tiny server-rendered pages for the browser flows that end outside the SPA. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `body` is trusted HTML made by the caller with escapeHtml around anything from outside. */
export function messagePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – HubSpot</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2a37">
<h1 style="font-size: 1.4rem">${escapeHtml(title)}</h1><p>${body}</p></body></html>`;
}
