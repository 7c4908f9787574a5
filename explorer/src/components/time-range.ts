import { html } from 'htm/preact';

interface Props {
  from: string | null;
  to: string | null;
  onChange(from: string | null, to: string | null): void;
}

/** The time range as two date inputs; `to` is exclusive, as in the API. */
export function TimeRange({ from, to, onChange }: Props) {
  const read = (event: Event) => (event.currentTarget as HTMLInputElement).value || null;
  return html`
    <fieldset class="time-range">
      <legend>Time range</legend>
      <label>From <input type="date" name="from" value=${from ?? ''} onChange=${(event: Event) => onChange(read(event), to)} /></label>
      <label>Before <input type="date" name="to" value=${to ?? ''} onChange=${(event: Event) => onChange(from, read(event))} /></label>
    </fieldset>
  `;
}
