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
      // The spec's errors and the instance API, as an app sees them.
      const errors: Record<string, string> = {};
      const expectError = async (name: string, p: Promise<unknown>) => {
        try {
          await p;
          errors[name] = 'no error';
        } catch (e) {
          errors[name] = e instanceof Error ? e.message : String(e);
        }
      };
      const instrument = { type: 'fdc3.instrument', id: { ticker: 'NPM' } };
      await expectError('raiseAtUnknownApp', fdc3.raiseIntent('ViewChart', instrument, { appId: 'nobody.here' }));
      await expectError('raiseAtGoneInstance', fdc3.raiseIntent('ViewChart', instrument, { appId: info.appMetadata.appId, instanceId: 'gone' }));
      await expectError('findUnknownIntent', fdc3.findIntent('NoSuchIntent'));
      const me = await fdc3.getAppMetadata({ appId: info.appMetadata.appId });
      const instances = await fdc3.findInstances({ appId: info.appMetadata.appId });
      this.dataset.checks = JSON.stringify({
        errors,
        title: me.title,
        instances: instances.map((i) => i.instanceId),
        self: info.appMetadata.instanceId,
      });
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
