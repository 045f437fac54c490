// A test widget written as another firm's app would be: against the
// `@finos/fdc3` npm package, finding its desktop agent with `getAgent()`
// (built by `npm run build` into tests/widgets/fdc3-npm/dist/app.js).
import { getAgent } from '@finos/fdc3';

class Fdc3Npm extends HTMLElement {
  async connectedCallback(): Promise<void> {
    this.textContent = 'Looking for the desktop agent…';
    try {
      const fdc3 = await getAgent({ timeoutMs: 5000 });
      const info = await fdc3.getInfo();
      const channels = await fdc3.getUserChannels();
      await fdc3.joinUserChannel(channels[0].id);
      await fdc3.broadcast({ type: 'fdc3.instrument', id: { ticker: 'NPM' } });
      this.dataset.result = 'ok';
      this.dataset.appId = info.appMetadata.appId;
      this.textContent =
        `getAgent() found ${info.provider} (FDC3 ${info.fdc3Version}) for ${info.appMetadata.appId}; ` +
        `${channels.length} user channels; joined ${channels[0].id} and broadcast NPM`;
    } catch (e) {
      this.dataset.result = 'error';
      this.textContent = `getAgent() failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

customElements.define('tessera-fdc3-npm', Fdc3Npm);
