import { Page } from '../ui/page.js';

export function InvoicesPage() {
  return <Page title="InvoicesPage">Coming with this screen's work.</Page>;
}
