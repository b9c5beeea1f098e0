import { describe, expect, it } from 'vitest';
import { chooseAccountPage, escapeHtml, html, loginPage } from './pages';

describe('the OAuth pages', () => {
  it('escape every interpolated value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(html`<p>${'<b>'}</p>`.value).toBe('<p>&lt;b&gt;</p>');
    expect(html`<p>${html`<b>${'&'}</b>`}</p>`.value).toBe('<p><b>&amp;</b></p>');
  });

  it('carry the authorize parameters in hidden fields, escaped', () => {
    const page = loginPage({
      action: '/oauth/authorize',
      appName: 'Xentral',
      params: {
        clientId: 'id',
        redirectUri: 'http://localhost/cb?a=1&b=2',
        scope: 'oauth',
        optionalScope: '',
        state: '"><img src=x onerror=alert(1)>',
      },
      error: '<script>',
    });
    expect(page).toContain('value="http://localhost/cb?a=1&amp;b=2"');
    expect(page).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>');
  });

  it('list every portal on Choose Account', () => {
    const page = chooseAccountPage({
      action: '/oauth/authorize/choose',
      session: 's1',
      email: 'admin@example.com',
      appName: 'Xentral',
      portals: [
        { hubId: 1, name: 'A & B', domain: 'a.example' },
        { hubId: 2, name: 'C', domain: 'c.example' },
      ],
    });
    expect(page).toContain('name="hub_id" value="1"');
    expect(page).toContain('name="hub_id" value="2"');
    expect(page).toContain('A &amp; B');
  });
});
