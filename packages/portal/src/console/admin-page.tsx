import { Page } from '../ui/page.js';

export function AdminPage() {
  return <Page title="AdminPage">Coming with this screen's work.</Page>;
}
