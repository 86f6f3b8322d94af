import { useState } from 'preact/hooks';
import type { Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
import { LoadedView } from '../ui/states.js';
import { AccountStep, type Account } from './account-step.js';
import { DataStep, type Selection } from './data-step.js';
import { MappingStep, type MappingRule } from './mapping-step.js';
import { ReviewStep } from './review-step.js';
import { ScheduleStep, type Schedule } from './schedule-step.js';
import { readSpecs, tableFormatOf } from './specs.js';
import { TargetStep, type Target } from './target-step.js';
import './wizard.css';

const stepNames = ['Account', 'Select data', 'Target', 'Mapping', 'Schedule', 'Review'] as const;

interface Progress {
  account?: Account;
  selection?: Selection;
  target?: Target;
  rules?: MappingRule[];
  schedule?: Schedule;
}

/** AEP's sources workflow for one connection spec: account, data, target, mapping, schedule, review. */
export function ConnectWizard({ scope, specId }: { scope: Scope; specId: string }) {
  const specs = useApi(scope, (s, signal) => readSpecs(s, specId, signal), [specId]);
  const [progress, setProgress] = useState<Progress>({});
  const [step, setStep] = useState(0);
  const advance = (change: Progress) => {
    setProgress({ ...progress, ...change });
    setStep(step + 1);
  };
  return (
    <LoadedView loaded={specs} what="the source">
      {({ spec, flowSpec }) => (
        <section aria-labelledby="wizard-title" class="wizard">
          <h1 id="wizard-title">Add data from {spec.name}</h1>
          {!flowSpec ? (
            <p class="problem" role="alert">
              {spec.name} has no batch dataflow into the Data Lake on this server.
            </p>
          ) : (
            <>
              <ol class="steps" aria-label="Steps">
                {stepNames.map((name, index) => (
                  <li key={name} aria-current={index === step ? 'step' : undefined} class={index < step ? 'done' : ''}>
                    {index < step ? (
                      <button type="button" class="link" onClick={() => setStep(index)}>
                        {name}
                      </button>
                    ) : (
                      name
                    )}
                  </li>
                ))}
              </ol>
              {step === 0 ? <AccountStep scope={scope} spec={spec} onChosen={(account) => advance({ account })} /> : null}
              {step === 1 && progress.account ? <DataStep scope={scope} connectionId={progress.account.id} tableFormat={tableFormatOf(flowSpec)} onChosen={(selection) => advance({ selection })} /> : null}
              {step === 2 ? <TargetStep scope={scope} onChosen={(target) => advance({ target })} /> : null}
              {step === 3 && progress.target && progress.selection ? <MappingStep scope={scope} schemaId={progress.target.schemaId} columns={progress.selection.columns} rows={progress.selection.rows} onChosen={(rules) => advance({ rules })} /> : null}
              {step === 4 && progress.selection ? <ScheduleStep columns={progress.selection.columns} onChosen={(schedule) => advance({ schedule })} /> : null}
              {step === 5 && progress.account && progress.selection && progress.target && progress.rules && progress.schedule ? (
                <ReviewStep scope={scope} spec={spec} flowSpec={flowSpec} choices={{ account: progress.account, selection: progress.selection, target: progress.target, rules: progress.rules, schedule: progress.schedule }} />
              ) : null}
            </>
          )}
        </section>
      )}
    </LoadedView>
  );
}
