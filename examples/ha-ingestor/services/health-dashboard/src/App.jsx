export function App() {
  return <h1>HA Ingestor health</h1>;
}
