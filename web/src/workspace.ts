// The docking area: dockview groups of panels, each panel a sandboxed widget frame.
import {
  createDockview,
  themeLight,
  type DockviewApi,
  type GroupPanelPartInitParameters,
  type IContentRenderer,
  type IWatermarkRenderer,
} from 'dockview-core';
import { widgetUrl } from './backend';
import { toDockview } from './layout-to-dockview';
import type { LayoutDocument, PanelParams, Widget } from './types';

/** The frame a widget lives in: no same-origin, no parent access, scripts only. */
class WidgetPanel implements IContentRenderer {
  readonly element = document.createElement('div');

  init(params: GroupPanelPartInitParameters): void {
    const p = params.params as unknown as PanelParams;
    this.element.className = 'panel-host';
    const frame = document.createElement('iframe');
    frame.className = 'widget-frame';
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.dataset.widget = p.widget;
    frame.dataset.panelId = params.api.id;
    frame.title = params.title ?? p.widget;
    frame.src = widgetUrl(p.widget, '');
    this.element.append(frame);
  }
}

class Watermark implements IWatermarkRenderer {
  readonly element = document.createElement('div');
  init(): void {
    this.element.className = 'watermark';
    this.element.innerHTML =
      '<div><strong>Your workspace is empty</strong><p>Choose a widget in the marketplace to add it here.</p></div>';
  }
}

export class Workspace {
  readonly api: DockviewApi;
  private seq = 0;

  constructor(private readonly host: HTMLElement) {
    this.api = createDockview(host, {
      theme: themeLight,
      // Keep frames in place when panels move, so widgets are not reloaded.
      defaultRenderer: 'always',
      createComponent: () => new WidgetPanel(),
      createWatermarkComponent: () => new Watermark(),
    });
  }

  load(doc: LayoutDocument): void {
    const { width, height } = this.host.getBoundingClientRect();
    this.api.fromJSON(toDockview(doc, Math.max(width, 1), Math.max(height, 1)));
  }

  /** Reloads the frames of a widget whose files changed (hot reload). */
  reloadWidget(widgetId: string): void {
    for (const frame of this.host.querySelectorAll<HTMLIFrameElement>('iframe.widget-frame')) {
      if (frame.dataset.widget === widgetId) {
        frame.src = widgetUrl(widgetId, '');
      }
    }
  }

  /** Adds a panel for the widget to the right of everything else. */
  add(widget: Widget): void {
    let id: string;
    do {
      id = `panel-${Date.now().toString(36)}-${++this.seq}`;
    } while (this.api.getPanel(id));
    const params: PanelParams = { widget: widget.id, state: {}, channel: null };
    this.api.addPanel({
      id,
      component: 'widget',
      title: widget.title,
      params: params as unknown as Record<string, unknown>,
      position: this.api.groups.length > 0 ? { direction: 'right' } : undefined,
    });
  }
}
