/**
 * The HTML of the mock's OAuth pages (login, Choose Account, errors). Every interpolated value
 * goes through `html`, which escapes it, so query parameters cannot inject markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Interpolation = string | number | SafeHtml | readonly SafeHtml[] | undefined;

/** A template tag that escapes every value unless it is already SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    if (value instanceof SafeHtml) out += value.value;
    else if (Array.isArray(value)) out += value.map((item: SafeHtml) => item.value).join('');
    else if (value !== undefined) out += escapeHtml(String(value));
    out += strings[index + 1] ?? '';
  });
  return new SafeHtml(out);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f5f8fa;color:#33475b;margin:0}
main{max-width:420px;margin:64px auto;background:#fff;border:1px solid #cbd6e2;border-radius:6px;padding:32px}
h1{font-size:22px;margin:0 0 8px}
p{line-height:1.5}
label{display:block;font-weight:600;margin:16px 0 4px}
input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:9px;border:1px solid #cbd6e2;border-radius:3px;font-size:15px}
button{margin-top:20px;background:#ff7a59;color:#fff;border:0;border-radius:3px;padding:10px 18px;font-size:15px;cursor:pointer}
.error{background:#fde8e9;border:1px solid #f2545b;padding:10px;border-radius:3px}
.accounts{list-style:none;padding:0}
.accounts button{width:100%;text-align:left;background:#fff;color:#33475b;border:1px solid #cbd6e2}
.accounts button:hover{border-color:#ff7a59}
.meta{display:block;font-size:13px;color:#7c98b6}
.note{font-size:13px;color:#7c98b6}
`;

function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} | HubSpot (mock)</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <main>
          ${body}
          <p class="note">HubSpot mock server: no real HubSpot account is involved.</p>
        </main>
      </body>
    </html> `.value;
}

/** The authorize request as it travels through the pages in hidden fields. */
export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scope: string;
  optionalScope: string;
  state: string | undefined;
}

function hiddenFields(params: AuthorizeParams): SafeHtml {
  const fields: [string, string | undefined][] = [
    ['client_id', params.clientId],
    ['redirect_uri', params.redirectUri],
    ['scope', params.scope],
    ['optional_scope', params.optionalScope],
    ['state', params.state],
  ];
  return new SafeHtml(
    fields
      .filter((field): field is [string, string] => field[1] !== undefined)
      .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`.value)
      .join('\n'),
  );
}

export function loginPage(input: {
  action: string;
  params: AuthorizeParams;
  appName: string;
  error?: string | undefined;
  email?: string | undefined;
}): string {
  const error = input.error ? html`<p class="error" role="alert">${input.error}</p>` : undefined;
  return layout(
    'Log in',
    html`<h1>Log in to HubSpot</h1>
      <p><strong>${input.appName}</strong> wants to connect to your HubSpot account.</p>
      ${error}
      <form method="post" action="${input.action}">
        ${hiddenFields(input.params)}
        <label for="email">Email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value="${input.email ?? ''}"
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">Log in</button>
      </form>`,
  );
}

export function chooseAccountPage(input: {
  action: string;
  session: string;
  email: string;
  appName: string;
  portals: { hubId: number; name: string; domain: string }[];
}): string {
  const items = input.portals.map(
    (portal) =>
      html`<li>
        <button type="submit" name="hub_id" value="${portal.hubId}">
          ${portal.name}<span class="meta">${portal.domain} · Hub ID ${portal.hubId}</span>
        </button>
      </li>`,
  );
  return layout(
    'Choose Account',
    html`<h1>Choose an account</h1>
      <p>
        Logged in as <strong>${input.email}</strong>. Which account should
        <strong>${input.appName}</strong> connect to?
      </p>
      <form method="post" action="${input.action}">
        <input type="hidden" name="session" value="${input.session}" />
        <ul class="accounts">
          ${items}
        </ul>
      </form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p class="error" role="alert">${message}</p>`,
  );
}
