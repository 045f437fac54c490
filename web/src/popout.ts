// A pop-out window: one panel, its channel, and a way back to the dock.
import type { Backend } from './backend';
import { Themes } from './theme';
import { BusRelay } from './bus';
import { CHANNEL_COLOURS, channelMenu } from './channels';
import { chooseHandler } from './resolver';
import type { PanelParams } from './types';
import { widgetFrame } from './workspace';

export async function startPopout(backend: Backend): Promise<void> {
  const info = await backend.popouts.info();
  if (!info) {
    document.body.textContent = 'This window holds no panel.';
    return;
  }
  let state = info.state;
  document.body.className = 'popout';
  document.body.innerHTML = '';
  const bar = document.createElement('header');
  bar.className = 'topbar popout-bar';
  const dot = document.createElement('button');
  dot.type = 'button';
  dot.className = 'channel-dot popout-channel';
  dot.title = 'Link to a channel';
  const title = document.createElement('span');
  title.className = 'popout-title';
  title.textContent = info.title;
  const spacer = document.createElement('span');
  spacer.className = 'spacer';
  const dockBack = document.createElement('button');
  dockBack.type = 'button';
  dockBack.className = 'dock-back';
  dockBack.textContent = 'Dock back';
  bar.append(dot, title, spacer, dockBack);
  const host = document.createElement('main');
  host.className = 'popout-host';
  document.body.append(bar, host);

  const showChannel = (c: string | null) => {
    dot.style.background = c ? CHANNEL_COLOURS[c] : 'transparent';
    dot.dataset.channel = c ?? '';
  };
  showChannel(info.channel);
  const themes = new Themes();
  themes.apply();
  const bus = await BusRelay.start(backend, {
    channelChanged: (_panel, c) => showChannel(c),
    stateChanged: (_panel, s) => {
      state = s;
      void backend.popouts.saveState({ state: s });
    },
    openWidget: (widget) => void backend.popouts.openWidget(widget),
    closePanel: () => void backend.popouts.close(),
    resolveIntent: chooseHandler,
    // A pop-out holds one panel: the shell's shortcuts have nothing to act on.
    shortcut: () => {},
    theme: () => themes.current(),
  });
  themes.follow((t) => bus.sendTheme(t));
  dot.addEventListener('click', (e) => {
    e.stopPropagation();
    channelMenu(dot, dot.dataset.channel || null, (c) => void bus.setChannel(info.panel, c));
  });
  dockBack.addEventListener('click', () => void backend.popouts.dock({ state }));
  const params: PanelParams = { widget: info.widget, state: info.state, channel: info.channel };
  host.append(widgetFrame(bus, info.panel, params, info.title, () => state));
  document.body.dataset.ready = 'true';
}
