import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { configureCsrf } from './api';
import { App } from './app';
import { initI18n } from './i18n';
import { createQueryClient } from './query-client';
import { csrfFromSession } from './session/queries';
import './styles.css';

const queryClient = createQueryClient();
configureCsrf(csrfFromSession(queryClient));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

void initI18n().then(() => {
  createRoot(container).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
});
