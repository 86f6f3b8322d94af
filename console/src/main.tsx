import { render } from 'preact';
import { Redirect, Route, Switch } from 'wouter-preact';
import { DatasetDetail } from './screens/datasets/dataset-detail.js';
import { DatasetsList } from './screens/datasets/datasets-list.js';
import { QueryScreen } from './screens/query/query-screen.js';
import { SignIn } from './screens/sign-in.js';
import { SourcesCatalog } from './screens/sources-catalog.js';
import { ConnectWizard } from './wizard/connect-wizard.js';
import { useConsole } from './state/store.js';
import { Layout } from './ui/layout.js';
import { lazyScreen } from './ui/lazy-screen.js';
import './styles.css';

const dataflowScreens = () => import('./screens/dataflows/dataflows-screens.js');
const DataflowsList = lazyScreen(() => dataflowScreens().then((m) => m.DataflowsList), 'the dataflows');
const DataflowDetail = lazyScreen(() => dataflowScreens().then((m) => m.DataflowDetail), 'the dataflow');
const RunPage = lazyScreen(() => dataflowScreens().then((m) => m.RunPage), 'the run');
const schemaScreens = () => import('./screens/schemas/schemas-screens.js');
const SchemasBrowser = lazyScreen(() => schemaScreens().then((m) => m.SchemasBrowser), 'the schemas');
const ResourcePage = lazyScreen(() => schemaScreens().then((m) => m.ResourcePage), 'the resource');
const ComposeScreen = lazyScreen(() => schemaScreens().then((m) => m.ComposeScreen), 'the composer');

function Console() {
  const state = useConsole();
  const session = state.sessions.find((s) => s.org === state.org);
  if (!session) return <SignIn />;
  const scope = { session, sandbox: state.sandbox };
  // Keyed by org and sandbox: switching either starts every screen afresh, with nothing of the other's data.
  return (
    <Switch>
      <Route path="/add-org">
        <SignIn adding />
      </Route>
      <Route>
        <Layout key={`${session.org}/${state.sandbox}`} scope={scope}>
          <Switch>
            <Route path="/sources">
              <SourcesCatalog scope={scope} />
            </Route>
            <Route path="/sources/:specId/new">{(params) => <ConnectWizard scope={scope} specId={params.specId} />}</Route>
            <Route path="/datasets">
              <DatasetsList scope={scope} />
            </Route>
            <Route path="/datasets/:id">{(params) => <DatasetDetail scope={scope} id={params.id} />}</Route>
            <Route path="/query">
              <QueryScreen scope={scope} />
            </Route>
            <Route path="/flows">
              <DataflowsList scope={scope} />
            </Route>
            <Route path="/flows/:id">{(params) => <DataflowDetail key={params.id} scope={scope} id={params.id} />}</Route>
            <Route path="/runs/:id">{(params) => <RunPage key={params.id} scope={scope} id={params.id} />}</Route>
            <Route path="/schemas">
              <SchemasBrowser scope={scope} />
            </Route>
            <Route path="/schemas/new">
              <ComposeScreen scope={scope} />
            </Route>
            <Route path="/schemas/:container/:kind">{(params) => <SchemasBrowser scope={scope} container={params.container} kind={params.kind} />}</Route>
            <Route path="/schemas/:container/:kind/:id">
              {(params) => <ResourcePage key={`${params.container}/${params.kind}/${params.id}`} scope={scope} container={params.container} kind={params.kind} id={params.id} />}
            </Route>
            <Route>
              <Redirect to="/sources" />
            </Route>
          </Switch>
        </Layout>
      </Route>
    </Switch>
  );
}

const root = document.getElementById('app');
if (root) render(<Console />, root);
