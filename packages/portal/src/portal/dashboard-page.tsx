import { Page } from '../ui/page.js';

export function DashboardPage() {
  return <Page title="DashboardPage">Coming with this screen's work.</Page>;
}
