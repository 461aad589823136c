import { useSearchParams } from 'react-router';
import { Page } from '../ui/page.js';
import { Tabs } from '../ui/tabs.js';
import { PlanPanel } from './plan-panel.js';
import { TariffPanel, type TariffSelection } from './tariff-panel.js';

type CatalogTab = 'tariffs' | 'plans';

/**
 * The catalog: tariffs (imported from files, a version at a time, with their rates) and plans
 * (prices and allowances). What is open is in the address, so a link shows the same rates.
 */
export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const tab: CatalogTab = params.get('tab') === 'plans' ? 'plans' : 'tariffs';
  const version = Number(params.get('version'));
  const selection: TariffSelection = {
    tariffId: params.get('tariff'),
    version: Number.isInteger(version) && version > 0 ? version : null,
    select: (tariffId, next) =>
      setParams(
        {
          tab: 'tariffs',
          ...(tariffId === null ? {} : { tariff: tariffId }),
          ...(next === null ? {} : { version: String(next) }),
        },
        { replace: true },
      ),
  };
  return (
    <Page title="Catalog">
      <Tabs
        label="Catalog sections"
        tabs={[
          { id: 'tariffs', label: 'Tariffs' },
          { id: 'plans', label: 'Plans' },
        ]}
        selected={tab}
        onSelect={(next) => setParams({ tab: next }, { replace: true })}
      >
        {tab === 'plans' ? <PlanPanel /> : <TariffPanel selection={selection} />}
      </Tabs>
    </Page>
  );
}
