import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from '../store/durable-file.js';
import { FileWriter } from '../store/file-writer.js';
import type { SimulationResult } from './simulate.js';

const KEPT = 50;

/** The last simulated sends, newest first, in `<data dir>/sends.json` (one lowdb document). */
export class SendHistory {
  readonly #writer = new FileWriter();
  readonly #db: Low<{ version: 1; sends: SimulationResult[] }>;

  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = dataDir;
    this.#db = new Low(new DurableJsonFile(path.join(dataDir, 'sends.json'), this.#writer), { version: 1, sends: [] });
  }

  async open(): Promise<this> {
    await mkdir(this.#dir, { recursive: true });
    await this.#db.read();
    return this;
  }

  list(): SimulationResult[] {
    return this.#db.data.sends;
  }

  get(id: string): SimulationResult | undefined {
    return this.#db.data.sends.find((s) => s.id === id);
  }

  async add(result: SimulationResult): Promise<void> {
    this.#db.data = { version: 1, sends: [result, ...this.#db.data.sends].slice(0, KEPT) };
    await this.#db.write();
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
