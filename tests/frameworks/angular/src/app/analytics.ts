// The README's Angular code: the Angular CLI builds with esbuild, which emits
// no `.wasm` asset, so the package comes from its /inline entry.
import { Injectable } from '@angular/core';
import { AnalyticsBrowser } from '@segment/analytics-next';
import { convertro } from 'convertro-analytics-plugin/inline';

@Injectable({ providedIn: 'root' })
export class Analytics {
  readonly analytics = new AnalyticsBrowser();

  constructor() {
    convertro({ account: 'acme', hybridAttributionModel: true }).then((plugin) =>
      this.analytics.load({ writeKey: 'SITES_WRITE_KEY', plugins: [plugin] }),
    );
  }
}
