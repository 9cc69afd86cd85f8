// The generated langgraph.json `webhooks` section (shared/langgraph-setup.ts): valid JSON that
// admits the bin's host, loopback when hookscope is local, and a header secret from the environment.
import { describe, expect, it } from 'vitest';
import { ENV_PREFIX, LANGGRAPH_422, isLoopbackHostname, langGraphSetup, langGraphSetupSnippets } from '../shared/langgraph-setup.js';

const BIN = '3f0c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('langGraphSetup', () => {
  it('for a local hookscope: admits its loopback host and port, over http, with loopback allowed', () => {
    const setup = langGraphSetup({ captureUrl: `http://127.0.0.1:8080/h/${BIN}`, secretHeader: null });
    expect(setup.config).toEqual({
      webhooks: { env_prefix: 'LG_WEBHOOK_', url: { require_https: false, allowed_domains: ['127.0.0.1'], allowed_ports: [8080], disable_loopback: false } },
    });
    expect(setup.env).toBeNull();
    const [config] = langGraphSetupSnippets({ captureUrl: `http://localhost:4000/h/${BIN}`, secretHeader: null });
    expect(config!.label).toBe('langgraph.json');
    expect(JSON.parse(config!.code)).toEqual({
      webhooks: { env_prefix: 'LG_WEBHOOK_', url: { require_https: false, allowed_domains: ['localhost'], allowed_ports: [4000], disable_loopback: false } },
    });
  });

  it('for a public hookscope: its host over https, loopback left to the server, the header secret from the environment', () => {
    const setup = langGraphSetup({ captureUrl: `https://hooks.example.com/h/${BIN}`, secretHeader: { name: 'X-Webhook-Token', value: 'abc123' } });
    expect(setup.config.webhooks).toEqual({
      env_prefix: 'LG_WEBHOOK_',
      url: { require_https: true, allowed_domains: ['hooks.example.com'] },
      headers: { 'X-Webhook-Token': '${{ env.LG_WEBHOOK_HOOKSCOPE_SECRET }}' },
    });
    expect(setup.env).toBe('LG_WEBHOOK_HOOKSCOPE_SECRET=abc123');
    // Header templates may only read variables named with env_prefix.
    for (const value of Object.values(setup.config.webhooks.headers!))
      for (const [, name] of value.matchAll(/\$\{\{ env\.(\w+) \}\}/g)) expect(name!.startsWith(ENV_PREFIX)).toBe(true);
  });

  it('keeps an Authorization scheme in langgraph.json and only the secret in the environment', () => {
    const setup = langGraphSetup({ captureUrl: `https://hooks.example.com:8443/h/${BIN}`, secretHeader: { name: 'Authorization', value: 'Bearer s3cr3t' } });
    expect(setup.config.webhooks.headers).toEqual({ Authorization: 'Bearer ${{ env.LG_WEBHOOK_HOOKSCOPE_SECRET }}' });
    expect(setup.config.webhooks.url.allowed_ports).toEqual([8443]);
    expect(setup.env).toBe('LG_WEBHOOK_HOOKSCOPE_SECRET=s3cr3t');
    const quoted = langGraphSetup({ captureUrl: `https://hooks.example.com/h/${BIN}`, secretHeader: { name: 'X-Secret', value: 'two words "q"' } });
    expect(quoted.env).toBe('LG_WEBHOOK_HOOKSCOPE_SECRET="two words \\"q\\""');
    const snippets = langGraphSetupSnippets({ captureUrl: `https://hooks.example.com/h/${BIN}`, secretHeader: { name: 'X-Secret', value: 'v' } });
    expect(snippets.map((s) => s.label)).toEqual(['langgraph.json', '.env']);
    expect(snippets[1]!.code.split('\n').at(-1)).toBe('LG_WEBHOOK_HOOKSCOPE_SECRET=v');
  });

  it('names an IPv6 host without brackets, and knows loopback hosts', () => {
    expect(langGraphSetup({ captureUrl: `http://[::1]:8080/h/${BIN}`, secretHeader: null }).config.webhooks.url).toEqual({
      require_https: false,
      allowed_domains: ['::1'],
      allowed_ports: [8080],
      disable_loopback: false,
    });
    expect(['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHostname)).toBe(true);
    expect(['hooks.example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com'].some(isLoopbackHostname)).toBe(false);
  });

  it('explains the 422 in one line', () => {
    expect(LANGGRAPH_422).toMatch(/^A 422 when you create the run means/);
    expect(LANGGRAPH_422).not.toContain('\n');
  });
});
