import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../server/api/openapi.js';
import { createApiRouter } from '../server/api/router.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(openApiDocument, 'openapi');
function assertMatches(schemaName: string, value: unknown): void {
  const validate = ajv.getSchema(`openapi#/components/schemas/${schemaName}`)!;
  const ok = validate(value);
  expect(ok, `${schemaName}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

describe('OpenAPI document', () => {
  it('is served at /api/openapi.json', async () => {
    const { status, body } = await getJson(`${srv.url}/api/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('lists exactly the routes the server has', () => {
    const router = createApiRouter({} as never);
    const served = new Set<string>();
    for (const layer of router.stack) {
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      for (const method of layer.methods) if (method !== 'HEAD') served.add(`${method.toLowerCase()} ${path}`);
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(openApiDocument.paths)) {
      if (path.startsWith('/h/')) continue; // the capture path is served before Koa
      for (const method of Object.keys(item)) if (method !== 'parameters') documented.add(`${method} ${path}`);
    }
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('describes real responses truly', async () => {
    const bin = await createBin(srv.url, { token: 't' });
    assertMatches('Bin', bin);
    const capture = await (
      await fetch(`${bin.url}/x?token=t&a=1&a=2`, { method: 'POST', body: '{"a":[1,2]}', headers: { 'content-type': 'application/json', 'x-r': '1' } })
    ).json();
    assertMatches('CaptureResponse', capture);
    const form = new FormData();
    form.append('f', new Blob(['bytes']), 'f.bin');
    await fetch(bin.url, { method: 'PUT', body: form });
    await fetch(bin.url, { method: 'POST', body: 'a=1&a=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await fetch(bin.url, { method: 'POST', body: new Uint8Array([0xff, 0xfe]) });
    const page = (await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body;
    assertMatches('RequestPage', page);
    for (const summary of page.requests) assertMatches('CapturedRequest', (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${summary.id}`)).body);
    assertMatches('Error', (await getJson(`${srv.url}/api/bins/nope`)).body);
    assertMatches('Error', await (await fetch(`${srv.url}/h/nope`)).json());
    const list = (await getJson(`${srv.url}/api/bins`)).body;
    for (const b of list.bins) assertMatches('Bin', b);
  });
});
