import { Page } from '../ui/page.js';

export function InvoicePage() {
  return <Page title="InvoicePage">Coming with this screen's work.</Page>;
}
