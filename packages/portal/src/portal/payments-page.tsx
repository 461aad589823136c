import { Page } from '../ui/page.js';

export function PaymentsPage() {
  return <Page title="PaymentsPage">Coming with this screen's work.</Page>;
}
