"""notify: delivers guardians' notifications (push, SMS, e-mail) from AMQP requests; runs under nameko."""
