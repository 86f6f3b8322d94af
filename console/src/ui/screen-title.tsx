/** A screen's heading with the Refresh that loads its data again (disabled while it loads). */
export function ScreenTitle({ id, title, loaded }: { id: string; title: string; loaded: { status: string; reload: () => void } }) {
  return (
    <div class="title-row">
      <h1 id={id}>{title}</h1>
      <button type="button" onClick={loaded.reload} disabled={loaded.status === 'loading'}>
        Refresh
      </button>
    </div>
  );
}

/** The search box above a list: labelled, filtering as it is typed. */
export function SearchBox({ label, value, onChange, placeholder }: { label: string; value: string; onChange: (value: string) => void; placeholder?: string }) {
  return (
    <label class="search">
      {label}
      <input type="search" value={value} onInput={(e) => onChange(e.currentTarget.value)} placeholder={placeholder} />
    </label>
  );
}
