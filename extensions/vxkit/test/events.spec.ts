import {
  backoffDelay,
  coalesce,
  EventStream,
  ISocketLike,
  isRefusal,
  parseMessage,
  StreamStatus
} from '../src/events';

/** A socket the test drives: it opens, receives and closes when told. */
class FakeSocket implements ISocketLike {
  onopen: ((event: any) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason?: string }) => void) | null = null;
  onerror: ((event: any) => void) | null = null;
  closedWith: number | null = null;
  constructor(readonly url: string) {}
  open(): void {
    this.onopen?.({});
  }
  receive(message: unknown): void {
    this.onmessage?.({
      data: typeof message === 'string' ? message : JSON.stringify(message)
    });
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
  close(code = 1000): void {
    this.closedWith = code;
  }
}

function stream(options: Record<string, unknown> = {}) {
  const sockets: FakeSocket[] = [];
  const events = new EventStream({
    url: 'ws://example/vxkit/api/events',
    socket: url => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 1, // the longest delay of each step
    silence: 10000,
    ...options
  });
  return { events, sockets };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('backoffDelay', () => {
  it('doubles from the base up to the longest delay', () => {
    const full = (attempt: number) =>
      backoffDelay(attempt, 1000, 30000, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(full)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000
    ]);
  });

  it('waits between half and all of it, so tabs do not come back together', () => {
    expect(backoffDelay(3, 1000, 30000, () => 0)).toBe(4000);
    expect(backoffDelay(3, 1000, 30000, () => 0.5)).toBe(6000);
    expect(backoffDelay(-2, 1000, 30000, () => 1)).toBe(1000);
  });
});

describe('coalesce', () => {
  it('keeps the newest message of each kind, in the order they last came', () => {
    const batch = coalesce([
      { type: 'team', data: { n: 1 } },
      { type: 'chats', data: { n: 1 } },
      { type: 'team', data: { n: 2 } },
      { type: 'comments', data: { path: 'a.ipynb' } },
      { type: 'comments', data: { path: 'b.ipynb' } },
      { type: 'comments', data: { path: 'a.ipynb' } }
    ]);
    expect(batch).toEqual([
      { type: 'chats', data: { n: 1 } },
      { type: 'team', data: { n: 2 } },
      { type: 'comments', data: { path: 'b.ipynb' } },
      { type: 'comments', data: { path: 'a.ipynb' } }
    ]);
  });
});

describe('parseMessage', () => {
  it('takes JSON objects with a type and nothing else', () => {
    expect(parseMessage('{"type":"ping"}')).toEqual({ type: 'ping' });
    for (const junk of ['', 'nope', '[1]', '{"type":3}', 'null', 42, null]) {
      expect(parseMessage(junk)).toBeNull();
    }
  });
});

describe('EventStream', () => {
  it('delivers each kind once per burst, and replays the newest to late listeners', () => {
    const { events, sockets } = stream();
    const seen: number[] = [];
    events.on('team', m => seen.push(m.data.n));
    events.start();
    sockets[0].open();
    sockets[0].receive({ type: 'team', data: { n: 1 } });
    sockets[0].receive({ type: 'team', data: { n: 2 } });
    sockets[0].receive('not json');
    expect(seen).toEqual([]);
    jest.advanceTimersByTime(60);
    expect(seen).toEqual([2]);
    const late: number[] = [];
    events.on('team', m => late.push(m.data.n));
    expect(late).toEqual([2]);
    events.on('team', m => late.push(m.data.n), false);
    expect(late).toEqual([2]);
  });

  it('reconnects with growing delays, and says so when it is back', () => {
    const { events, sockets } = stream();
    const statuses: [StreamStatus, boolean][] = [];
    events.onStatus((status, again) => statuses.push([status, again]));
    events.start();
    sockets[0].open();
    sockets[0].drop();
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2); // after 1 s
    sockets[1].drop(); // the server is still down
    jest.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3); // after 2 s more
    sockets[2].open();
    expect(statuses).toContainEqual(['open', true]);
    sockets[2].drop(); // an open socket resets the delays
    jest.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(4);
  });

  it('does not come back when the server refused it (4403)', () => {
    const { events, sockets } = stream();
    events.start();
    sockets[0].open();
    sockets[0].drop(4403);
    expect(events.status).toBe('refused');
    jest.advanceTimersByTime(120000);
    expect(sockets).toHaveLength(1);
    expect(isRefusal(4403)).toBe(true);
    expect(isRefusal(1006)).toBe(false);
  });

  it('takes a silent socket for a dead one (the server pings)', () => {
    const { events, sockets } = stream();
    events.start();
    sockets[0].open();
    jest.advanceTimersByTime(9000);
    sockets[0].receive({ type: 'ping' });
    jest.advanceTimersByTime(9000);
    expect(sockets[0].closedWith).toBeNull(); // the ping kept it alive
    jest.advanceTimersByTime(1000);
    expect(sockets[0].closedWith).toBe(4000);
    jest.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
  });

  it('stops for good', () => {
    const { events, sockets } = stream();
    events.start();
    sockets[0].open();
    events.stop();
    expect(sockets[0].closedWith).toBe(1000);
    sockets[0].drop();
    jest.advanceTimersByTime(120000);
    expect(sockets).toHaveLength(1);
  });
});
