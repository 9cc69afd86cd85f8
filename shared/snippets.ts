import { shellQuote } from './curl.js';

/**
 * Ready-to-paste code that points Krea and LangGraph at a capture URL, in the forms their docs
 * use (docs.krea.ai "Webhooks"; LangGraph "Use webhooks"). Pure: the inspector shows them, and
 * a CLI or README generator could print the same.
 */
export interface Snippet {
  id: string;
  group: 'Try it' | 'Krea' | 'LangGraph';
  label: string;
  language: 'bash' | 'javascript' | 'python' | 'json';
  code: string;
}

/** The URL a sender should call: the capture URL with `?token=` when the bin has a token. */
export function webhookUrl(captureUrl: string, token: string | null): string {
  return token ? `${captureUrl}?token=${encodeURIComponent(token)}` : captureUrl;
}

const KREA_BODY = { prompt: 'a serene mountain landscape at sunset', width: 1024, height: 576 };

/** Example payloads from payloads.md, so the empty bin can show what a real delivery looks like. */
const KREA_JOB = {
  job_id: '550e8400-e29b-41d4-a716-446655440000',
  status: 'completed',
  created_at: '2025-01-15T10:30:00.000Z',
  completed_at: '2025-01-15T10:30:05.000Z',
  result: { urls: ['https://example.com/out.png'] },
};

function langGraphRun(hookUrl: string) {
  return {
    run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
    thread_id: '9dde5490-2b67-47c8-aa14-4bfec88af217',
    assistant_id: 'agent',
    status: 'success',
    created_at: '2024-08-30T23:07:38.242730+00:00',
    updated_at: '2024-08-30T23:07:40.120000+00:00',
    metadata: {},
    kwargs: { input: { messages: [{ role: 'user', content: 'Hello!' }] }, webhook: hookUrl },
    values: {
      messages: [
        { role: 'user', content: 'Hello!' },
        { role: 'assistant', content: 'Hi!' },
      ],
    },
  };
}

/** A double-quoted shell word when that is safe (the docs' style), else single-quoted. */
function dq(word: string): string {
  return /["$`\\!]/.test(word) ? shellQuote(word) : `"${word}"`;
}

function postJson(url: string, body: unknown): string {
  return `curl -X POST ${shellQuote(url)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${shellQuote(JSON.stringify(body))}`;
}

/** Said at the top of Krea's snippets when GET /api/status found the capture URL unreachable. */
export const UNREACHABLE_WARNING =
  "Krea's cloud cannot reach this URL (only this machine or network can): get a public one first, see hookscope's notice under the capture URL.";

/**
 * The snippets for a bin. `reachable` false (GET /api/status said other machines cannot reach
 * the capture URL): Krea's cloud could not deliver to it, so Krea's snippets open with a comment
 * that says so plainly (a copied snippet carries the warning with it). The others need no
 * warning: curl runs here, and LangGraph's local dev server runs on this machine.
 */
export function webhookSnippets(captureUrl: string, token: string | null, reachable = true): Snippet[] {
  const url = webhookUrl(captureUrl, token);
  const js = JSON.stringify(url); // a valid string literal in JavaScript and Python alike
  const warn = (comment: string) => (reachable ? [] : [`${comment} ${UNREACHABLE_WARNING}`]);
  return [
    { id: 'try-curl', group: 'Try it', label: 'curl', language: 'bash', code: postJson(url, { hello: 'world' }) },
    { id: 'try-krea', group: 'Try it', label: 'Sample Krea job', language: 'bash', code: postJson(url, KREA_JOB) },
    { id: 'try-langgraph', group: 'Try it', label: 'Sample LangGraph run', language: 'bash', code: postJson(url, langGraphRun(url)) },
    {
      id: 'krea-curl',
      group: 'Krea',
      label: 'curl',
      language: 'bash',
      code: [
        ...warn('#'),
        'curl -X POST https://api.krea.ai/generate/image/bfl/flux-1-dev \\',
        '  -H "Authorization: Bearer $KREA_API_KEY" \\',
        '  -H "Content-Type: application/json" \\',
        `  -H ${dq(`X-Webhook-URL: ${url}`)} \\`,
        `  -d '${JSON.stringify(KREA_BODY)}'`,
      ].join('\n'),
    },
    {
      id: 'krea-js',
      group: 'Krea',
      label: 'JavaScript',
      language: 'javascript',
      code: [
        ...warn('//'),
        '// npm install @krea-ai/sdk',
        'import { Krea } from "@krea-ai/sdk";',
        '',
        'const krea = new Krea({ apiKey: process.env.KREA_API_KEY });',
        '',
        'const job = await krea.image(',
        '  "bfl/flux-1-dev",',
        '  { prompt: "a serene mountain landscape at sunset", width: 1024, height: 576 },',
        `  { webhookUrl: ${js} }`,
        ');',
        'console.log(`Job ID: ${job.job_id}`);',
      ].join('\n'),
    },
    {
      id: 'krea-python',
      group: 'Krea',
      label: 'Python',
      language: 'python',
      code: [
        ...warn('#'),
        'import os',
        'import requests',
        '',
        'response = requests.post(',
        '    "https://api.krea.ai/generate/image/bfl/flux-1-dev",',
        '    headers={',
        '        "Authorization": f"Bearer {os.environ[\'KREA_API_KEY\']}",',
        '        "Content-Type": "application/json",',
        `        "X-Webhook-URL": ${js},`,
        '    },',
        '    json={"prompt": "a serene mountain landscape at sunset", "width": 1024, "height": 576},',
        ')',
        'print(f"Job ID: {response.json()[\'job_id\']}")',
      ].join('\n'),
    },
    {
      id: 'langgraph-python',
      group: 'LangGraph',
      label: 'Python SDK',
      language: 'python',
      code: [
        'from langgraph_sdk import get_client',
        '',
        'client = get_client(url="<DEPLOYMENT_URL>")',
        'thread = await client.threads.create()',
        'run = await client.runs.create(',
        '    thread["thread_id"],',
        '    "agent",',
        '    input={"messages": [{"role": "user", "content": "Hello!"}]},',
        `    webhook=${js},`,
        ')',
      ].join('\n'),
    },
    {
      id: 'langgraph-js',
      group: 'LangGraph',
      label: 'JS SDK',
      language: 'javascript',
      code: [
        'import { Client } from "@langchain/langgraph-sdk";',
        '',
        'const client = new Client({ apiUrl: "<DEPLOYMENT_URL>" });',
        'const thread = await client.threads.create();',
        'const run = await client.runs.create(thread.thread_id, "agent", {',
        '  input: { messages: [{ role: "user", content: "Hello!" }] },',
        `  webhook: ${js},`,
        '});',
      ].join('\n'),
    },
    {
      id: 'langgraph-curl',
      group: 'LangGraph',
      label: 'curl',
      language: 'bash',
      code: [
        'curl --request POST \\',
        '  --url <DEPLOYMENT_URL>/threads/<THREAD_ID>/runs \\',
        "  --header 'Content-Type: application/json' \\",
        `  --data ${shellQuote(JSON.stringify({ assistant_id: 'agent', input: { messages: [{ role: 'user', content: 'Hello!' }] }, webhook: url }))}`,
      ].join('\n'),
    },
  ];
}
