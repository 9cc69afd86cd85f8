// The web-platform globals that shared/ may use: each exists alike in Node (>= 20) and in
// browsers. shared/ compiles with neither Node's types nor the DOM's (shared/tsconfig.json), so
// these few are declared here, and only what shared/ uses of them; add a member when shared/
// needs it. (The server and the inspector compile against the real lib and @types/node.)

interface URLSearchParams {
  get(name: string): string | null;
}

declare class URL {
  constructor(url: string, base?: string);
  readonly origin: string;
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare function btoa(data: string): string;
