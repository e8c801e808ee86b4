/**
 * Outputs never run script in the JupyterLab page.
 *
 * In a classroom a notebook has many writers, and JupyterLab shares a cell's trust through
 * the collaboration room: running a cell writes `metadata.trusted` into the shared document,
 * and any browser that builds the cell from the room trusts it, outputs a pupil's browser
 * wrote included. A trusted output's HTML or JavaScript runs in the page with the reader's
 * cookie, so a pupil's script would act as her teacher. Trust can't be told apart per
 * output, so rendering is made harmless instead, for every reader and whatever the trust:
 *
 * - HTML with scripts, frames or handlers (folium maps) renders in a sandboxed frame
 *   without `allow-same-origin`: its scripts run, in an origin of their own, with no cookie
 *   and no access to the page; other HTML (tables) renders in the page, sanitized;
 * - JavaScript outputs run in such a frame too; SVG shows as an image (no script);
 * - every other renderer gets the output as untrusted (Markdown outputs sanitized), except
 *   an allowlist of renderers that run no code from the output (ipywidgets' views: their code
 *   is installed, their state comes from the reader's own kernel);
 * - renderers that need trust and are not on the allowlist show the plain-text version.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { RenderMimeRegistry } from '@jupyterlab/rendermime';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';

/** Renderers kept as they are: they run no code that an output carries. */
export const IN_PAGE = new Set(['application/vnd.jupyter.widget-view+json']);
/** HTML that needs scripts to show (or could run any): it goes to a sandboxed frame. */
const ACTIVE =
  /<\s*(script|iframe|object|embed|frame|form|link|meta|base|style)\b|\son[a-z]+\s*=|javascript:/i;
const FRAME_CLASS = 'vx-sandboxed-output';
/** Posts the frame's content height to the page, which sizes the frame (no same origin). */
const RESIZER =
  '<script>(function(){function s(){parent.postMessage({vxkitHeight:' +
  'document.documentElement.scrollHeight},"*")}addEventListener("load",s);' +
  'if(window.ResizeObserver){new ResizeObserver(s).observe(document.documentElement)}' +
  'setTimeout(s,500)})()</script>';

/** Whether HTML must be shown in a sandboxed frame rather than sanitized in the page. */
export function isActiveHTML(html: string): boolean {
  return ACTIVE.test(html);
}

/** The srcdoc of a sandboxed frame for an HTML or JavaScript output. */
export function frameDocument(mimeType: string, source: string): string {
  const body =
    mimeType === 'application/javascript'
      ? `<script>${source.replace(/<\/script/gi, '<\\/script')}</script>`
      : source;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;font-family:sans-serif}</style></head><body>${body}${RESIZER}</body></html>`;
}

/** A frame whose scripts run in an opaque origin of their own. */
export function sandboxedFrame(srcdoc: string): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.className = FRAME_CLASS;
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.style.width = '100%';
  frame.style.border = '0';
  frame.style.height = '150px';
  frame.srcdoc = srcdoc;
  return frame;
}

let listening = false;

function listenForHeights(): void {
  if (listening) {
    return;
  }
  listening = true;
  window.addEventListener('message', event => {
    const height = (event.data as { vxkitHeight?: unknown } | null)
      ?.vxkitHeight;
    if (typeof height !== 'number' || !Number.isFinite(height)) {
      return;
    }
    for (const frame of Array.from(
      document.querySelectorAll<HTMLIFrameElement>(`iframe.${FRAME_CLASS}`)
    )) {
      if (frame.contentWindow === event.source) {
        frame.style.height = `${Math.min(Math.max(Math.ceil(height), 20), 4000)}px`;
      }
    }
  });
}

function untrusted(model: IRenderMime.IMimeModel): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: model.data,
    metadata: model.metadata,
    setData: options => model.setData(options)
  };
}

function text(value: unknown): string {
  if (Array.isArray(value)) {
    return value.join('');
  }
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}

/** The renderer ``original`` made for ``mimeType``, made harmless (see the module's doc). */
export function harden(
  renderer: IRenderMime.IRenderer,
  mimeType: string,
  safe: boolean
): IRenderMime.IRenderer {
  if (IN_PAGE.has(mimeType)) {
    return renderer;
  }
  const render = renderer.renderModel.bind(renderer);
  renderer.renderModel = async (model: IRenderMime.IMimeModel) => {
    const source = text(model.data[mimeType]);
    if (
      mimeType === 'application/javascript' ||
      (mimeType === 'text/html' && model.trusted && isActiveHTML(source))
    ) {
      listenForHeights();
      renderer.node.replaceChildren(
        sandboxedFrame(frameDocument(mimeType, source))
      );
      return;
    }
    if (mimeType === 'image/svg+xml') {
      const image = document.createElement('img');
      image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`;
      renderer.node.replaceChildren(image);
      return;
    }
    if (!safe) {
      // a renderer that needs trust and isn't known to run no output code: plain text
      const pre = document.createElement('pre');
      pre.textContent = text(model.data['text/plain'] ?? '');
      renderer.node.replaceChildren(pre);
      return;
    }
    return render(untrusted(model));
  };
  return renderer;
}

let installed = false;

/** Make every rendermime registry (the global one and each notebook's clone) harden the
 * renderers it creates. */
export function hardenOutputs(): void {
  if (installed) {
    return;
  }
  installed = true;
  const create = RenderMimeRegistry.prototype.createRenderer;
  RenderMimeRegistry.prototype.createRenderer = function (
    this: RenderMimeRegistry,
    mimeType: string
  ): IRenderMime.IRenderer {
    const safe = this.getFactory(mimeType)?.safe ?? false;
    return harden(create.call(this, mimeType), mimeType, safe);
  };
}

/** The plugin: installed first thing, before any notebook renders an output. */
export const outputsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'vxkit:outputs',
  description: 'Outputs never run script in the JupyterLab page.',
  autoStart: true,
  activate: (_app: JupyterFrontEnd) => {
    hardenOutputs();
  }
};
