import { Page } from '../ui/page.js';

export function BillRunsPage() {
  return <Page title="BillRunsPage">Coming with this screen's work.</Page>;
}
