// What a close waits for (server/in-flight.ts): work counted in until it ends or settles,
// including work begun while the close already waits.
import { describe, expect, it } from 'vitest';
import { InFlight } from '../server/in-flight.js';

describe('InFlight', () => {
  it('settles at once when nothing is in flight', async () => {
    const inFlight = new InFlight();
    await inFlight.settled();
    expect(inFlight.size).toBe(0);
  });

  it('waits for tracked work, rejected work included, and for work begun while it waits', async () => {
    const inFlight = new InFlight();
    let rejectFirst!: (error: Error) => void;
    const first = new Promise<void>((_, reject) => (rejectFirst = reject));
    first.catch(() => undefined); // the caller's to handle; InFlight only counts it
    inFlight.track(first);
    const endSecond = inFlight.begin();
    expect(inFlight.size).toBe(2);

    let settled = false;
    const waiting = inFlight.settled().then(() => (settled = true));
    rejectFirst(new Error('failed'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(inFlight.size).toBe(1);

    const endThird = inFlight.begin(); // begun while the close waits
    endSecond();
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    endThird();
    await waiting;
    expect(settled).toBe(true);
    expect(inFlight.size).toBe(0);
  });

  it('counts an end called twice once', async () => {
    const inFlight = new InFlight();
    const endFirst = inFlight.begin();
    inFlight.begin();
    endFirst();
    endFirst();
    expect(inFlight.size).toBe(1);
  });
});
