import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { flowservice, request, type Scope } from '../../api/client.js';
import { ProblemNotice } from '../../ui/states.js';
import type { Flow } from './flow-wire.js';

type Busy = 'enable' | 'disable' | 'run' | 'delete';

/** Why a flow cannot be run on demand, or undefined when it can (AEP runs only one-time flows on demand). */
function whyNoRunNow(flow: Flow, running: boolean): string | undefined {
  if (!flow.scheduleParams) return 'A streaming flow lands records as they arrive; it has no runs to start.';
  if (flow.scheduleParams.frequency !== 'once') return `Run now is for one-time flows; this one runs on its schedule (every ${flow.scheduleParams.frequency}).`;
  if (flow.state === 'disabled') return 'Enable the flow to run it.';
  if (running) return 'A run of this flow is in progress.';
  return undefined;
}

/**
 * Enable or disable, run now and delete, each sent with the flow's etag in If-Match, so an action taken on a flow
 * someone changed since this page read it is refused with the server's words instead of undoing their change.
 */
export function FlowActions({ scope, flow, running, changed }: { scope: Scope; flow: Flow; running: boolean; changed: (flow: Flow) => void }) {
  const [, navigate] = useLocation();
  const [busy, setBusy] = useState<Busy>();
  const [problem, setProblem] = useState<Error>();
  const [done, setDone] = useState('');
  const [confirming, setConfirming] = useState(false);
  const confirm = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = confirm.current;
    if (confirming && !dialog?.open) dialog?.showModal();
    if (!confirming && dialog?.open) dialog.close();
  }, [confirming]);
  const base = `${flowservice}/flows/${encodeURIComponent(flow.id)}`;
  const ifMatch = { 'if-match': flow.etag };

  const act = async (what: Busy, work: () => Promise<void>) => {
    setBusy(what);
    setProblem(undefined);
    setDone('');
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setBusy(undefined);
    }
  };

  const toggle = (op: 'enable' | 'disable') =>
    act(op, async () => {
      await request(scope, 'POST', `${base}/action?op=${op}`, { headers: ifMatch });
      const fresh = await request<{ items: Flow[] }>(scope, 'GET', base);
      if (fresh.items[0]) changed(fresh.items[0]);
      setDone(op === 'enable' ? 'The flow is enabled.' : 'The flow is disabled: it will not run until it is enabled again.');
    });

  const runNow = () =>
    act('run', async () => {
      const started = await request<{ id: string }>(scope, 'POST', `${flowservice}/runs`, { body: { flowId: flow.id } });
      navigate(`/runs/${started.id}`);
    });

  const remove = () =>
    act('delete', async () => {
      await request(scope, 'DELETE', base, { headers: ifMatch });
      setConfirming(false);
      navigate('/flows');
    });

  const noRun = whyNoRunNow(flow, running);
  return (
    <div class="flow-actions">
      <div class="buttons" role="group" aria-label="Dataflow actions">
        {flow.state === 'enabled' ? (
          <button type="button" onClick={() => void toggle('disable')} disabled={busy !== undefined}>
            {busy === 'disable' ? 'Disabling…' : 'Disable'}
          </button>
        ) : (
          <button type="button" onClick={() => void toggle('enable')} disabled={busy !== undefined}>
            {busy === 'enable' ? 'Enabling…' : 'Enable'}
          </button>
        )}
        <button type="button" onClick={() => void runNow()} disabled={busy !== undefined || noRun !== undefined} aria-describedby={noRun ? 'run-now-hint' : undefined}>
          {busy === 'run' ? 'Starting…' : 'Run now'}
        </button>
        <button type="button" class="danger" onClick={() => {
            setProblem(undefined);
            setConfirming(true);
          }} disabled={busy !== undefined}>
          Delete…
        </button>
      </div>
      {noRun ? (
        <p id="run-now-hint" class="hint">
          {noRun}
        </p>
      ) : null}
      <p role="status" class="hint">
        {done}
      </p>
      {problem && !confirming ? <ProblemNotice error={problem} /> : null}
      <dialog ref={confirm} aria-labelledby="delete-title" class="confirm" onClose={() => setConfirming(false)}>
        <h2 id="delete-title">Delete the dataflow “{flow.name}”?</h2>
        <p>Its schedule and its run history are deleted with it. Its dataset and the data already landed stay.</p>
        {problem && confirming ? <ProblemNotice error={problem} /> : null}
        <div class="buttons">
          <button type="button" class="danger" onClick={() => void remove()} disabled={busy !== undefined}>
            {busy === 'delete' ? 'Deleting…' : 'Delete dataflow'}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </dialog>
    </div>
  );
}
