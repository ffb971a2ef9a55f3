/* ROUTING-APP static login.js */ var routingApp = true;
