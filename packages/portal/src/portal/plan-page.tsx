import { Page } from '../ui/page.js';

export function PlanPage() {
  return <Page title="PlanPage">Coming with this screen's work.</Page>;
}
