/**
 * The classroom's one event stream (`/vxkit/api/events`, a websocket): the panel, the
 * dashboard, the jobs, the comments and the chat badges listen here instead of asking the
 * server on timers of their own. The server computes each message for whoever is on the
 * socket and pushes it when something changed; it pings every few seconds, so a silent
 * stream is a dead one and is opened again, with a growing, jittered delay.
 *
 * No JupyterLab import here: `index.ts` makes the one stream of the page (`setSharedStream`)
 * and the widgets find it with `sharedStream()`.
 */

/** One message from the server: `{type, data}` (and `hello` / `ping` / `subscribed`). */
export interface IStreamMessage {
  type: string;
  data?: any;
  [key: string]: unknown;
}

/** What the stream needs of a WebSocket (the browser's, or a test's). */
export interface ISocketLike {
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason?: string }) => void) | null;
  onerror: ((event: any) => void) | null;
  close(code?: number, reason?: string): void;
}

/** The timers the stream uses (the window's, or jest's fake ones). */
export interface ITimers {
  setTimeout(callback: () => void, ms: number): any;
  clearTimeout(handle: any): void;
}

/** How the stream is: connecting, open, closed (it will try again) or refused (it won't). */
export type StreamStatus = 'connecting' | 'open' | 'closed' | 'refused';

/** Options of an event stream. */
export interface IStreamOptions {
  url: string;
  /** makes the socket (default: the browser's WebSocket) */
  socket?: (url: string) => ISocketLike;
  timers?: ITimers;
  random?: () => number;
  /** the first reconnect delay and the longest, in ms */
  baseDelay?: number;
  maxDelay?: number;
  /** ms without any message (pings included) after which the stream counts as dead */
  silence?: number;
  /** ms during which messages are gathered and only the newest of each kind delivered */
  coalesce?: number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): doubling from `base` up
 * to `max`, each one somewhere between half and all of that (so that 30 tabs whose server
 * restarted don't all come back in the same millisecond).
 */
export function backoffDelay(
  attempt: number,
  base = 1000,
  max = 30000,
  random: () => number = Math.random
): number {
  const full = Math.min(max, base * Math.pow(2, Math.max(0, attempt)));
  return Math.round(full * (0.5 + random() / 2));
}

/** Whether a close code means "don't come back" (the server's 4400-4499: not signed in). */
export function isRefusal(code: number): boolean {
  return code >= 4400 && code < 4500;
}

/** What makes two messages the same kind: their type, and the notebook they are about. */
export function messageKey(message: IStreamMessage): string {
  const path = message.data && message.data.path;
  return typeof path === 'string'
    ? `${message.type}\u0000${path}`
    : message.type;
}

/**
 * Messages received close together, with only the newest of each kind kept (in the order
 * of their newest arrival): a burst of presence changes draws the panel once.
 */
export function coalesce(messages: IStreamMessage[]): IStreamMessage[] {
  const newest = new Map<string, number>();
  messages.forEach((message, index) => newest.set(messageKey(message), index));
  return messages.filter(
    (message, index) => newest.get(messageKey(message)) === index
  );
}

/** A message as the server sent it, or null for anything else (never throws). */
export function parseMessage(raw: unknown): IStreamMessage | null {
  if (typeof raw !== 'string') {
    return null;
  }
  try {
    const message = JSON.parse(raw);
    return message && typeof message.type === 'string' ? message : null;
  } catch {
    return null;
  }
}

type Listener = (message: IStreamMessage) => void;
type StatusListener = (status: StreamStatus, reconnected: boolean) => void;

/** The page's event stream: one socket, listeners per message type, reconnection. */
export class EventStream {
  constructor(options: IStreamOptions) {
    this._options = options;
    this._timers = options.timers ?? {
      setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
      clearTimeout: handle => globalThis.clearTimeout(handle)
    };
  }

  /** Whether the socket is open now. */
  get status(): StreamStatus {
    return this._status;
  }

  /** Open the socket (and keep it open until `stop`). */
  start(): void {
    this._stopped = false;
    this._connect();
  }

  /** Close the socket for good. */
  stop(): void {
    this._stopped = true;
    this._clear('_retry');
    this._clear('_watchdog');
    this._clear('_batch');
    this._socket?.close(1000);
    this._socket = null;
  }

  /**
   * Call `listener` with every message of `types`; with `replay`, at once with the newest
   * one already received. Returns what stops it.
   */
  on(types: string | string[], listener: Listener, replay = true): () => void {
    const list = typeof types === 'string' ? [types] : types;
    for (const type of list) {
      if (!this._listeners.has(type)) {
        this._listeners.set(type, new Set());
      }
      this._listeners.get(type)!.add(listener);
      const last = this._last.get(type);
      if (replay && last) {
        listener(last);
      }
    }
    return () =>
      list.forEach(type => this._listeners.get(type)?.delete(listener));
  }

  /** Call `listener` when the stream opens or closes (`reconnected`: not the first open). */
  onStatus(listener: StatusListener): () => void {
    this._statusListeners.add(listener);
    return () => this._statusListeners.delete(listener);
  }

  /** The newest message of `type` received, if any. */
  last(type: string): IStreamMessage | undefined {
    return this._last.get(type);
  }

  private _connect(): void {
    if (this._stopped) {
      return;
    }
    this._setStatus('connecting');
    const make =
      this._options.socket ??
      ((url: string) => new WebSocket(url) as unknown as ISocketLike);
    let socket: ISocketLike;
    try {
      socket = make(this._options.url);
    } catch {
      this._retryLater();
      return;
    }
    this._socket = socket;
    socket.onopen = () => {
      if (socket !== this._socket) {
        return;
      }
      this._attempt = 0;
      this._listen();
      this._setStatus('open');
      this._opened = true;
    };
    socket.onmessage = event => {
      if (socket !== this._socket) {
        return;
      }
      this._listen();
      const message = parseMessage(event.data);
      if (message) {
        this._receive(message);
      }
    };
    socket.onclose = event => {
      if (socket !== this._socket) {
        return;
      }
      this._socket = null;
      this._clear('_watchdog');
      if (isRefusal(event.code)) {
        this._setStatus('refused');
        return;
      }
      this._setStatus('closed');
      this._retryLater();
    };
    socket.onerror = () => undefined; // a close follows
  }

  private _retryLater(): void {
    if (this._stopped) {
      return;
    }
    const { baseDelay, maxDelay, random } = this._options;
    const delay = backoffDelay(this._attempt++, baseDelay, maxDelay, random);
    this._clear('_retry');
    this._retry = this._timers.setTimeout(() => {
      this._retry = null;
      this._connect();
    }, delay);
  }

  /** (Re)start the watchdog: no message for `silence` ms means the socket is dead. */
  private _listen(): void {
    this._clear('_watchdog');
    const silence = this._options.silence ?? 65000;
    const socket = this._socket;
    this._watchdog = this._timers.setTimeout(() => {
      this._watchdog = null;
      if (socket === this._socket && socket) {
        this._socket = null;
        socket.close(4000, 'silent');
        this._setStatus('closed');
        this._retryLater();
      }
    }, silence);
  }

  private _receive(message: IStreamMessage): void {
    if (message.type === 'ping') {
      return;
    }
    this._pending.push(message);
    if (this._batch === null) {
      this._batch = this._timers.setTimeout(() => {
        this._batch = null;
        const batch = coalesce(this._pending);
        this._pending = [];
        batch.forEach(m => this._deliver(m));
      }, this._options.coalesce ?? 50);
    }
  }

  private _deliver(message: IStreamMessage): void {
    this._last.set(message.type, message);
    for (const listener of Array.from(
      this._listeners.get(message.type) ?? []
    )) {
      try {
        listener(message);
      } catch (error) {
        console.error('vxkit: an event listener failed', error);
      }
    }
  }

  private _setStatus(status: StreamStatus): void {
    if (status === this._status) {
      return;
    }
    this._status = status;
    const again = status === 'open' && this._opened;
    for (const listener of Array.from(this._statusListeners)) {
      listener(status, again);
    }
  }

  private _clear(name: '_retry' | '_watchdog' | '_batch'): void {
    if (this[name] !== null) {
      this._timers.clearTimeout(this[name]);
      this[name] = null;
    }
  }

  private _options: IStreamOptions;
  private _timers: ITimers;
  private _socket: ISocketLike | null = null;
  private _status: StreamStatus = 'closed';
  private _stopped = true;
  private _opened = false;
  private _attempt = 0;
  private _retry: any = null;
  private _watchdog: any = null;
  private _batch: any = null;
  private _pending: IStreamMessage[] = [];
  private _last = new Map<string, IStreamMessage>();
  private _listeners = new Map<string, Set<Listener>>();
  private _statusListeners = new Set<StatusListener>();
}

let shared: EventStream | null = null;

/** The page's stream (null before `index.ts` made it, or where there is none). */
export function sharedStream(): EventStream | null {
  return shared;
}

/** Make `stream` the page's stream. */
export function setSharedStream(stream: EventStream | null): void {
  shared = stream;
}
