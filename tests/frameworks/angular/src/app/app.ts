import { Component, inject } from '@angular/core';
import { Analytics } from './analytics';

@Component({
  selector: 'app-root',
  template: '<h1>Blue mug</h1><button id="buy" (click)="buy()">Buy</button>',
})
export class App {
  private readonly analytics = inject(Analytics).analytics;

  constructor() {
    this.analytics.page();
    this.analytics.identify('user-1', { email: 'ada@example.com', plan: 'pro' });
  }

  buy() {
    this.analytics.track('Order Completed', { order_id: 'order-1', total: 42.5, currency: 'EUR', repeat: false });
  }
}
