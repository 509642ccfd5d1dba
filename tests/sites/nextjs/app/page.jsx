// A server component: rendered on the server, with the client component
// that registers the plugin inside it.
import Shop from './shop';

export default function Page() {
  return (
    <main>
      <h1>Shop</h1>
      <Shop />
    </main>
  );
}
