import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from '../store/files/durable-file.js';
import { FileWriter } from '../store/files/file-writer.js';
import type { SimulationResult } from './simulate.js';

/** Simulated sends kept: the newest. */
export const SENDS_KEPT = 50;

/**
 * The last simulated sends, newest first. With --redis-url they live in Redis, so every instance
 * lists the same sends; otherwise in the data dir.
 */
export interface SendHistory {
  list(): Promise<SimulationResult[]>;
  /** Undefined when no kept send has this id. */
  get(id: string): Promise<SimulationResult | undefined>;
  add(result: SimulationResult): Promise<void>;
  close(): Promise<void>;
}

/** The sends in `<data dir>/sends.json` (one lowdb document). */
export class FileSendHistory implements SendHistory {
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

  async list(): Promise<SimulationResult[]> {
    return this.#db.data.sends;
  }

  async get(id: string): Promise<SimulationResult | undefined> {
    return this.#db.data.sends.find((s) => s.id === id);
  }

  async add(result: SimulationResult): Promise<void> {
    this.#db.data = { version: 1, sends: [result, ...this.#db.data.sends].slice(0, SENDS_KEPT) };
    await this.#db.write();
  }

  close(): Promise<void> {
    return this.#writer.close();
  }
}
