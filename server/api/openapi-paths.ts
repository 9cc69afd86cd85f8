import { API_ROUTES, PATH_PARAMS, type RouteContract, type RouteKey } from '../../shared/wire/routes.js';
import { toOpenApi } from './openapi-components.js';
import { OPERATION_DOCS, type OperationDoc } from './openapi-operations.js';

/**
 * The `paths` of the OpenAPI document for /api: one operation per route of the contract
 * (shared/wire/routes.ts), its shapes from there and its words from OPERATION_DOCS.
 */
export function apiPaths(): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(API_ROUTES) as RouteKey[]) {
    const [method, path] = splitRouteKey(key);
    const item = (paths[path] ??= pathParameters(path));
    item[method.toLowerCase()] = operation(API_ROUTES[key], OPERATION_DOCS[key]);
  }
  return paths;
}

/** 'GET /api/bins/{binId}' → ['GET', '/api/bins/{binId}']. */
export function splitRouteKey(key: RouteKey): [method: string, path: string] {
  const space = key.indexOf(' ');
  return [key.slice(0, space), key.slice(space + 1)];
}

function pathParameters(path: string): Record<string, unknown> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as keyof typeof PATH_PARAMS);
  return names.length === 0 ? {} : { parameters: names.map((name) => ({ name, in: 'path', required: true, schema: PATH_PARAMS[name] })) };
}

function operation(contract: RouteContract, doc: OperationDoc): Record<string, unknown> {
  const json = (schema: unknown) => ({ content: { 'application/json': { schema: toOpenApi(schema) } } });
  const responses: Record<string, unknown> = {};
  if (contract.raw) responses['200'] = { description: doc.answer, content: doc.content };
  else if (contract.response) responses[String(contract.status ?? 200)] = { description: doc.answer, ...json(contract.response) };
  else responses['204'] = { description: doc.answer };
  if (contract.noContent) responses['204'] = { description: doc.emptyAnswer };
  for (const [status, description] of Object.entries(doc.errors ?? {})) responses[status] = { description, ...json({ $ref: '#/components/schemas/Error' }) };
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(contract.query ? { parameters: Object.entries(contract.query).map(([name, schema]) => queryParameter(name, schema)) } : {}),
    ...(contract.body ? { requestBody: { required: doc.bodyRequired ?? false, ...json(contract.body) } } : {}),
    responses,
  };
}

function queryParameter(name: string, schema: unknown): Record<string, unknown> {
  const { description, ...rest } = schema as { description?: string };
  return { name, in: 'query', ...(description ? { description } : {}), schema: rest };
}
