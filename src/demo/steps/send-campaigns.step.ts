import { DemoStep, DemoStopped } from '../demo-context';

/** Sends both campaigns through campaign runs and the delivery pipeline. */
export const sendCampaignsStep: DemoStep = {
  title: 'Send both campaigns (campaign runs, delivery jobs, outbox and SMTP)',
  run() {
    return Promise.reject(
      new DemoStopped(
        'campaign runs and delivery are not part of this build: nothing was sent, so the demo stops here',
      ),
    );
  },
};
