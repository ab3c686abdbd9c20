export default function Index() {
  return <h1>Alforis CRM</h1>
}
