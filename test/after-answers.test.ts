// Live announcements run after the answers of their turn are written, all of a turn's in one
// setImmediate, in order; a shutdown waits for them, and one that throws does not stop the rest.
import { describe, expect, it, vi } from 'vitest';
import { AfterAnswers } from '../server/capture/after-answers.js';
import { InFlight } from '../server/in-flight.js';

describe('AfterAnswers', () => {
  it('runs what one turn queued after that turn, in order, tracked until it has run', async () => {
    const inFlight = new InFlight();
    const after = new AfterAnswers(inFlight);
    const ran: string[] = [];
    after.queue(() => ran.push('a'));
    after.queue(() => ran.push('b'));
    await Promise.resolve(); // microtasks of this turn (where the answers are written) come first
    expect(ran).toEqual([]);
    expect(inFlight.size).toBe(1); // one tracked piece of work for the whole turn
    await inFlight.settled();
    expect(ran).toEqual(['a', 'b']);
    after.queue(() => ran.push('c')); // a later turn gets its own
    expect(inFlight.size).toBe(1);
    await inFlight.settled();
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('reports a task that throws and still runs the others', async () => {
    const inFlight = new InFlight();
    const after = new AfterAnswers(inFlight);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ran: string[] = [];
    after.queue(() => {
      throw new Error('boom');
    });
    after.queue(() => ran.push('after'));
    await inFlight.settled();
    expect(ran).toEqual(['after']);
    expect(errors).toHaveBeenCalledWith('hookscope: a live announcement failed', expect.any(Error));
    errors.mockRestore();
  });
});
