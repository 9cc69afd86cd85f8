/** Small builders shared by the parts of the OpenAPI document. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object) => ({ content: { 'application/json': { schema } } });
export const error = (description: string) => ({ description, ...json(ref('Error')) });
export const binId = { name: 'binId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
export const requestId = { name: 'requestId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' } };
export const multiValue = { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } };
