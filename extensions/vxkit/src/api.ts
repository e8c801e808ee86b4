/**
 * The few vxkit endpoints the front end calls. The server decides who may do what; these
 * only carry its answers (and its sentences, when it refuses).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** What the server may do for the person asking (`GET /vxkit/api/me`). */
export interface ICapabilities {
  terminals: boolean;
  nbgrader_ui: boolean;
  extension_manager: boolean;
  dashboard: boolean;
  handin: boolean;
}

/** Who is asking, as the server sees them. */
export interface IMe {
  role: 'teacher' | 'student' | 'visitor' | 'unknown';
  name: string;
  class: string | null;
  team: string | null;
  team_folder: string | null;
  city: string | null;
  colour: string | null;
  verified: boolean;
  /** the class's locale ("es_ES"), or null: JupyterLab's own language */
  language: string | null;
  /** the direction of that language */
  dir: 'ltr' | 'rtl';
  capabilities: ICapabilities;
}

/** One class of the exchange (`GET /vxkit/api/exchange`). */
export interface IExchangeClass {
  id: string;
  school: string;
  city: string;
  country_name: string;
  timezone: string;
  school_days: string[];
  hours: string;
  holidays?: string[];
  colour: string;
  languages: string[];
}

/** One mixed team. */
export interface ITeam {
  id: string;
  name: string;
  members: { name: string; class: string }[];
}

/** The exchange as the person asking may see it. */
export interface IExchange {
  id: string;
  title: string;
  /** the units' ids (each team folder has one shared `<unit>.ipynb` per unit) */
  units?: string[];
  classes: IExchangeClass[];
  teams: ITeam[];
}

/** One unit in "My work" (`GET /vxkit/api/assignments`, as a student). */
export interface IAssignment {
  unit: string;
  team_work: boolean;
  /** the team handing this unit in together, if it is team work */
  team?: string | null;
  fetched?: boolean;
  path?: string;
  submitted?: string | null;
  deadline?: { local: string; utc: string } | null;
}

/** One of my grades (`GET /vxkit/api/grades`). */
export interface IGrade {
  unit: string;
  score: number | null;
  max_score: number;
  status: string;
}

/** An answer: the JSON body on success, the server's sentence otherwise. */
export interface IAnswer<T> {
  ok: boolean;
  status: number;
  data: T | null;
  message: string;
  /** a stable word for what went wrong ("personal_code"), whatever the sentence's language */
  reason?: string;
  /** the field-by-field problems the server listed with its refusal (`vxkit check`'s) */
  problems?: { field: string; value?: unknown; message: string }[];
}

/** Call `vxkit/api/<path>` with the page's credentials (cookie and XSRF header). */
export async function requestAPI<T>(
  path: string,
  init: RequestInit = {}
): Promise<IAnswer<T>> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'vxkit', 'api', path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    return { ok: false, status: 0, data: null, message: String(error) };
  }
  let body: any = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const message =
    (body && typeof body.message === 'string' && body.message) || '';
  return {
    ok: response.ok,
    status: response.status,
    data: response.ok ? (body as T) : null,
    message,
    reason: (body && typeof body.reason === 'string' && body.reason) || '',
    problems: (body && Array.isArray(body.problems) && body.problems) || []
  };
}

/** Whether a refusal asks for the student's personal code (the sign-in card). */
export function needsPersonalCode(answer: IAnswer<unknown>): boolean {
  return (
    answer.status === 403 &&
    (answer.reason === 'personal_code' || /personal code/i.test(answer.message))
  );
}
