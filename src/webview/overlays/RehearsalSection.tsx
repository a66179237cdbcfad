/**
 * The inspector's "Rehearsal" section for the selected https or mtls edge: when the rehearsal ran, and a small
 * table of its handshakes (result, case, expected, got, and the reason underneath).
 *
 * Test ids: inspector-rehearsal (attribute data-pass), inspector-rehearsal-case (one per case, data-pass).
 */
import { describeTime, type EdgeRehearsalView, type RehearsalOverlay } from './rehearsal.js';
import './overlays.css';

export function RehearsalSection({ overlay, view }: { overlay: RehearsalOverlay; view: EdgeRehearsalView }) {
  return (
    <section className="gw-overlay-section" data-testid="inspector-rehearsal" data-pass={String(view.pass)} aria-label="Rehearsal">
      <h3 className="gw-section">Rehearsal</h3>
      <p className={`gw-overlay-summary gw-rehearsal-${view.pass ? 'pass' : 'fail'}`}>
        <span aria-hidden="true">{view.pass ? '✓' : '✗'}</span> {view.summary[0]!.toUpperCase() + view.summary.slice(1)}
      </p>
      <p className="gw-help">Ran {describeTime(overlay.at)}.</p>
      <table className="gw-table gw-rehearsal-table">
        <thead>
          <tr>
            <th className="gw-rehearsal-result">Result</th>
            <th>Handshake</th>
            <th>Expected</th>
            <th>Got</th>
          </tr>
        </thead>
        {view.cases.map((c, i) => (
          <tbody key={i} data-testid="inspector-rehearsal-case" data-pass={String(c.pass)}>
            <tr>
              <td className={`gw-rehearsal-result gw-rehearsal-${c.pass ? 'pass' : 'fail'}`}>{c.pass ? '✓ pass' : '✗ fail'}</td>
              <td>{c.title}</td>
              <td>{c.expected}</td>
              <td>{c.got}</td>
            </tr>
            <tr>
              <td />
              <td colSpan={3} className="gw-rehearsal-detail">
                {c.detail}
              </td>
            </tr>
          </tbody>
        ))}
      </table>
    </section>
  );
}
