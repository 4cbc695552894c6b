import { EventEmitter2 } from '@nestjs/event-emitter';
import { batchOf } from '../../shared/domain-event';
import { DomainEventBus } from './domain-event-bus';

describe('DomainEventBus', () => {
  const setup = () => {
    const emitter = new EventEmitter2();
    return { emitter, bus: new DomainEventBus(emitter) };
  };

  it('delivers each event to single listeners and each name once per publish to batch listeners, in order', () => {
    const { emitter, bus } = setup();
    const singles: unknown[] = [];
    const batches: Array<[string, unknown[]]> = [];
    emitter.on('a', (p: unknown) => singles.push(p));
    emitter.on(batchOf('a'), (list: unknown[]) => batches.push(['a', list]));
    emitter.on(batchOf('b'), (list: unknown[]) => batches.push(['b', list]));
    bus.publish([
      { name: 'a', payload: { n: 1 } },
      { name: 'b', payload: { n: 2 } },
      { name: 'a', payload: { n: 3 } },
    ]);
    expect(singles).toEqual([{ n: 1 }, { n: 3 }]);
    expect(batches).toEqual([
      ['a', [{ n: 1 }, { n: 3 }]],
      ['b', [{ n: 2 }]],
    ]);
    bus.emit('b', { n: 4 });
    expect(batches[2]).toEqual(['b', [{ n: 4 }]]);
  });

  it('keeps going when a listener throws', () => {
    const { emitter, bus } = setup();
    const seen: unknown[] = [];
    emitter.on(batchOf('a'), () => {
      throw new Error('listener bug');
    });
    emitter.on('a', (p: unknown) => seen.push(p));
    expect(() => bus.publish([{ name: 'a', payload: { n: 1 } }])).not.toThrow();
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('publishAsync logs a listener that throws (synchronously or not) and still waits for the others', async () => {
    const { emitter, bus } = setup();
    const done: string[] = [];
    emitter.on(batchOf('a'), () => {
      throw new Error('sync bug');
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- emitAsync awaits the listener's promise
    emitter.on('a', async () => {
      await new Promise((r) => setTimeout(r, 10));
      done.push('single');
    });
    await expect(bus.publishAsync([{ name: 'a', payload: {} }])).resolves.toBeUndefined();
    expect(done).toEqual(['single']);
  });

  it('publishAsync resolves after the listeners have finished', async () => {
    const { emitter, bus } = setup();
    const done: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- emitAsync awaits the listener's promise
    emitter.on(batchOf('a'), async () => {
      await new Promise((r) => setTimeout(r, 20));
      done.push('batch');
    });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- as above
    emitter.on('a', async () => {
      await new Promise((r) => setTimeout(r, 10));
      done.push('single');
    });
    await bus.publishAsync([{ name: 'a', payload: {} }]);
    expect(done.sort()).toEqual(['batch', 'single']);
  });
});
