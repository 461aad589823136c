import { Page } from '../ui/page.js';

export function SettingsPage() {
  return <Page title="SettingsPage">Coming with this screen's work.</Page>;
}
