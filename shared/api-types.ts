import type { binInputSchema, binSchema, expectedIdSchema, expectedWaitSchema, forwardSettingSchema, retrySettingSchema } from './wire/bin.js';
import type { errorBodySchema } from './wire/errors.js';
import type { bodyDataSchema, multiValueSchema, Wire, WireInput } from './wire/json-schema.js';
import type { replayAttemptSchema, replayInputSchema, replayManyInputSchema, replaySummarySchema } from './wire/replay.js';
import type {
  captureResponseSchema,
  capturedRequestSchema,
  multipartPartSchema,
  rejectionSchema,
  requestPageSchema,
  requestSummarySchema,
} from './wire/request.js';
import type { serverStatusSchema, validateInputSchema } from './wire/status.js';
import type { TOKEN_STATUSES } from './wire/tokens.js';

/**
 * Wire shapes of hookscope's HTTP API, shared by the server and the inspector. Each is the type
 * of a JSON Schema in shared/wire/ (where the fields are described), which the OpenAPI document
 * and the server's request validation are built from too: change a shape there, not here.
 */

export type { ErrorCode } from './wire/errors.js';
export type { BodyOf, PathParamsOf, QueryOf, ResponseOf, RouteKey, ValidBodyOf } from './wire/routes.js';

/** Repeated query keys and headers keep every value: one value is a string, several an array. */
export type MultiValueMap = Wire<typeof multiValueSchema>;
/** How a request's query `token` compared with its bin's token. */
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export type Bin = Wire<typeof binSchema>;
/** A header a bin expects on captures, e.g. `Authorization: Bearer …` or `X-Webhook-Token: …`. */
export type SecretHeader = NonNullable<Bin['secretHeader']>;
/**
 * An expected job / run id and whether its webhook came (GET /api/bins/:id/expected):
 * 'arrived' with the request that brought it, 'overdue' once its deadline passed without it,
 * else 'pending'. `due` is present when the id was registered with a deadline (`within`).
 */
export type ExpectedId = Wire<typeof expectedIdSchema>;
/** What the expected-ids wait ends with: all arrived, some overdue, or the wait's own timeout. */
export type ExpectedWaitResult = Wire<typeof expectedWaitSchema>;
/** The settings a client sends to create or change a bin (only the fields given are set). */
export type CreateBinInput = WireInput<typeof binInputSchema>;
export type UpdateBinInput = CreateBinInput;
/** Retries of an auto-forward: jittered exponential back-off, on network errors, 5xx and 429 only. */
export type RetrySetting = Wire<typeof retrySettingSchema>;
/** A bin's auto-forward setting. */
export type ForwardSetting = Wire<typeof forwardSettingSchema>;

/** The exact body bytes: UTF-8 text when the bytes are valid UTF-8, else base64. */
export type BodyData = Wire<typeof bodyDataSchema>;
/** Why a capture was answered with an error status, while still being recorded. */
export type Rejection = Wire<typeof rejectionSchema>;
export type MultipartPart = Wire<typeof multipartPartSchema>;
/** The small form of a captured request, used by lists and live pushes. */
export type RequestSummary = Wire<typeof requestSummarySchema>;
export type CapturedRequest = Wire<typeof capturedRequestSchema>;
export type RequestPage = Wire<typeof requestPageSchema>;
export type CaptureResponse = Wire<typeof captureResponseSchema>;
export type ErrorBody = Wire<typeof errorBodySchema>;
/** A request validated without capturing it (`POST /api/validate`). */
export type ValidateInput = Wire<typeof validateInputSchema>;

/** One delivery of a captured request to a target: a replay, an auto-forward try, a pass-through. */
export type ReplayAttempt = Wire<typeof replayAttemptSchema>;
/** Which parts of the captured request a replay changed. */
export type ReplayModification = NonNullable<ReplayAttempt['modified']>[number];
/** `POST /api/bins/:binId/requests/:requestId/replay`. Everything but the target is an optional edit. */
export type ReplayInput = WireInput<typeof replayInputSchema>;
/** `POST /api/bins/:binId/replay`: several requests, one after another in arrival order. */
export type ReplayManyInput = WireInput<typeof replayManyInputSchema>;
export type ReplaySummary = Wire<typeof replaySummarySchema>;

/** `GET /api/status`: how the server stands (storage limits, access control). */
export type ServerStatus = Wire<typeof serverStatusSchema>;
